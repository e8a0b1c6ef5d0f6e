import AnalyticsCore
import Foundation
import MetadataStore

/// `drift_check` jobs: compare a profile snapshot with the one before it, store the drift report,
/// and when something drifted raise a `drift` review item — the dataset stays as it is (an active
/// dataset stays active). With refreshed drafts on, a `draft_metadata` job then attaches a
/// proposed draft to the item.
///
/// Payload: `profile_version` (default: the latest) is compared with the newest older snapshot.
public struct DriftCheckJobHandler: JobHandler {
    public var kind: String { JobKind.driftCheck }
    let store: any MetadataStore
    let detector: DriftDetector
    let refreshDraftOnDrift: Bool
    let pipeline: OnboardingPipeline

    public init(store: any MetadataStore, detector: DriftDetector = DriftDetector(), refreshDraftOnDrift: Bool, pipeline: OnboardingPipeline) {
        self.store = store
        self.detector = detector
        self.refreshDraftOnDrift = refreshDraftOnDrift
        self.pipeline = pipeline
    }

    public func run(_ job: JobRecord, context: JobContext) async throws -> JSONValue {
        let datasetID = try job.requireDatasetID()
        guard let dataset = try await self.store.dataset(id: datasetID) else { throw AnalyticsError.datasetNotFound(datasetID) }
        let versions = try await self.store.profileVersions(datasetID: datasetID).map(\.version)
        let target = job.payload["profile_version"]?.intValue.map(Int.init) ?? versions.last
        guard let target, versions.contains(target) else {
            throw AnalyticsError(.profileNotFound, "Dataset '\(datasetID)' has no profile to check for drift.", hint: "Profile it first.")
        }
        guard let previous = versions.filter({ $0 < target }).last else {
            return ["profile_version": .int(Int64(target)), "changes": 0, "note": "No earlier profile to compare with."]
        }
        guard let old = try await self.store.profile(datasetID: datasetID, version: previous),
            let new = try await self.store.profile(datasetID: datasetID, version: target)
        else { throw AnalyticsError(.profileNotFound, "A profile of '\(datasetID)' disappeared during the drift check.") }
        context.progress(50, "Comparing profile versions \(previous) and \(target).")
        let report = self.detector.compare(old, new)
        let body = try JSONValue.encoding(report)
        _ = try await self.store.saveDriftReport(
            StoredDriftReport(datasetID: datasetID, fromVersion: previous, toVersion: target, changeCount: report.changes.count, report: body)
        )
        var result: [String: JSONValue] = [
            "from_version": .int(Int64(previous)),
            "to_version": .int(Int64(target)),
            "changes": .int(Int64(report.changes.count)),
            "state": .string(dataset.state.rawValue),
        ]
        guard report.hasDrift else { return .object(result) }
        let kinds = Dictionary(report.changes.map { ($0.kind.rawValue, 1) }, uniquingKeysWith: +)
        let item = try await self.store.createReviewItem(
            NewReviewItem(
                datasetID: datasetID,
                kind: ReviewItemKind.drift,
                title:
                    "\(dataset.name) drifted: \(report.changes.count) change\(report.changes.count == 1 ? "" : "s") between profile versions \(previous) and \(target)",
                details: [
                    "from_version": .int(Int64(previous)),
                    "to_version": .int(Int64(target)),
                    "change_counts": .object(kinds.mapValues { .int(Int64($0)) }),
                    "changes": .array(report.changes.prefix(50).map { .string($0.message) }),
                    "report": body,
                ],
                sourceJobID: job.id,
                dedupeKey: "drift:\(datasetID):\(previous):\(target)"
            )
        )
        result["review_item_id"] = .string(item.id)
        if self.refreshDraftOnDrift {
            let draft = try await context.enqueueFollowUp(
                JobKind.draftMetadata,
                datasetID: datasetID,
                payload: ["mode": "propose", "review_item_id": .string(item.id)]
            )
            result["draft_job_id"] = .string(draft.id)
        }
        return .object(result)
    }

    public func jobEnded(_ job: JobRecord, context: JobContext) async {
        await self.pipeline.jobEnded(job)
    }
}

extension JSONValue {
    /// A `Codable` value as a JSON document (ISO 8601 dates).
    static func encoding(_ value: some Encodable) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return try JSONValue.parse(encoder.encode(value))
    }
}
