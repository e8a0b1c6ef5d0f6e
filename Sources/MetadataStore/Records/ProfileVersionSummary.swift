import AnalyticsCore
import Foundation

/// What one stored profile snapshot holds, without its body: for version lists and drift choices.
public struct ProfileVersionSummary: Sendable, Codable, Hashable {
    public var datasetID: String
    public var version: Int
    public var createdAt: Date
    /// `postgres` or `sqlite`.
    public var backend: String
    public var tableCount: Int
    public var durationSeconds: Double
    /// Findings of the snapshot per severity (`info`, `warning`, `error`; absent means none).
    public var findingCounts: [String: Int]

    public init(
        datasetID: String,
        version: Int,
        createdAt: Date,
        backend: String,
        tableCount: Int,
        durationSeconds: Double,
        findingCounts: [String: Int]
    ) {
        self.datasetID = datasetID
        self.version = version
        self.createdAt = createdAt
        self.backend = backend
        self.tableCount = tableCount
        self.durationSeconds = durationSeconds
        self.findingCounts = findingCounts
    }

    enum CodingKeys: String, CodingKey {
        case version, backend
        case datasetID = "dataset_id"
        case createdAt = "created_at"
        case tableCount = "table_count"
        case durationSeconds = "duration_seconds"
        case findingCounts = "finding_counts"
    }
}
