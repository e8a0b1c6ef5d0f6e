import AnalyticsCore
import Logging
import MetadataStore

/// What a ``JobHandler`` gets besides its job: a way to report progress, a client to enqueue
/// follow-up jobs, and a logger carrying the job's id.
public struct JobContext: Sendable {
    /// The job as it was claimed (`attempts` counts this attempt).
    public let job: JobRecord
    public let jobs: JobQueueClient
    public let logger: Logger
    let lease: JobLease?

    init(job: JobRecord, jobs: JobQueueClient, logger: Logger, lease: JobLease?) {
        self.job = job
        self.jobs = jobs
        self.logger = logger
        self.lease = lease
    }

    /// Records progress (0–100) and an optional message; stored with the next heartbeat, which
    /// follows promptly. Never blocks on the store.
    public func progress(_ percent: Int, _ message: String? = nil) {
        self.lease?.report(percent: percent, message: message)
    }

    /// Enqueues a job that follows this one, keyed so a retried attempt of this job never enqueues
    /// it twice.
    @discardableResult
    public func enqueueFollowUp(_ kind: String, datasetID: String?, payload: JSONValue = [:]) async throws -> JobRecord {
        try await self.jobs.enqueue(
            NewJob(kind: kind, datasetID: datasetID, payload: payload, dedupeKey: "after:\(self.job.id):\(kind)")
        )
    }
}
