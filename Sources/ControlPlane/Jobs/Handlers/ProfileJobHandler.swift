import AnalyticsCore
import MetadataStore

/// `profile` jobs: profile the dataset with progress per table, run the quality rules, store the
/// snapshot; then enqueue the follow-ups the payload names in `then` (`draft_metadata`,
/// `drift_check`), passing the new profile version on.
public struct ProfileJobHandler: JobHandler {
    public var kind: String { JobKind.profile }
    let profiling: ProfilingService
    let pipeline: OnboardingPipeline

    public init(profiling: ProfilingService, pipeline: OnboardingPipeline) {
        self.profiling = profiling
        self.pipeline = pipeline
    }

    public func run(_ job: JobRecord, context: JobContext) async throws -> JSONValue {
        let datasetID = try job.requireDatasetID()
        context.progress(1, "Profiling started.")
        let run = try await self.profiling.run(datasetID: datasetID, by: .system) { progress in
            context.progress(min(progress.percent, 99), progress.message)
        }
        try Task.checkCancellation()
        var followUps: [JSONValue] = []
        for kind in job.payload["then"]?.arrayValue?.compactMap(\.stringValue) ?? [] where JobKind.all.contains(kind) {
            var payload: [String: JSONValue] = ["profile_version": .int(Int64(run.profile.version))]
            if let pipeline = job.payload["pipeline"] { payload["pipeline"] = pipeline }
            let next = try await context.enqueueFollowUp(kind, datasetID: datasetID, payload: .object(payload))
            followUps.append(["kind": .string(kind), "job_id": .string(next.id)])
        }
        let counts = Dictionary(run.findings.map { ($0.severity.rawValue, 1) }, uniquingKeysWith: +)
        return [
            "profile_version": .int(Int64(run.profile.version)),
            "tables": .int(Int64(run.profile.tables.count)),
            "findings": .int(Int64(run.findings.count)),
            "finding_counts": .object(counts.mapValues { .int(Int64($0)) }),
            "drift_changes": run.drift.map { .int(Int64($0.changes.count)) } ?? .null,
            "duration_seconds": .double(run.profile.durationSeconds),
            "follow_ups": .array(followUps),
        ]
    }

    public func jobEnded(_ job: JobRecord, context: JobContext) async {
        await self.pipeline.jobEnded(job)
    }
}

extension JobRecord {
    /// The dataset a dataset job is about; `INVALID_REQUEST` (not retried) when it has none.
    func requireDatasetID() throws -> String {
        guard let datasetID = self.datasetID else {
            throw AnalyticsError.invalidRequest("A \(self.kind) job needs a dataset id.")
        }
        return datasetID
    }
}
