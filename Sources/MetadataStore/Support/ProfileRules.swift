import AnalyticsCore
import Foundation

/// Profile-snapshot rules both stores apply identically inside their transactions.
enum ProfileRules {
    /// The profile as it is stored and read back: the assigned version, `createdAt` at the store's
    /// precision, and every value as its JSON form decodes (an exact decimal such as `12.50`
    /// reads back as the number 12.5), so the returned value equals a later read.
    static func prepare(_ profile: DatasetProfile, version: Int) throws -> (profile: DatasetProfile, json: String) {
        var stored = profile
        stored.version = version
        stored.createdAt = StoreTimestamp.normalize(profile.createdAt)
        let json = try StoreJSON.encode(stored)
        return (try StoreJSON.decode(DatasetProfile.self, from: json, what: "profile"), json)
    }

    static func encode(_ finding: QualityFinding) throws -> String {
        try StoreJSON.encode(finding)
    }

    static func decodeFinding(_ text: String) throws -> QualityFinding {
        try StoreJSON.decode(QualityFinding.self, from: text, what: "quality finding")
    }

    static func decodeProfile(_ text: String) throws -> DatasetProfile {
        try StoreJSON.decode(DatasetProfile.self, from: text, what: "profile")
    }

    static func notFound(datasetID: String, version: Int) -> AnalyticsError {
        AnalyticsError(
            .profileNotFound,
            "Dataset '\(datasetID)' has no profile version \(version).",
            hint: "List the dataset's profile versions, or run the profiler (POST /api/datasets/{id}/profile)."
        )
    }

    /// `{"warning": 2, …}` from `(severity, count)` rows.
    static func counts(_ rows: [(String, Int)]) -> [String: Int] {
        Dictionary(rows, uniquingKeysWith: +)
    }
}
