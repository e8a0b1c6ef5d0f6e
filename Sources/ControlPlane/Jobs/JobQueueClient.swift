import AnalyticsCore
import Foundation
import Logging
import MetadataStore

/// Enqueues and cancels jobs, and tells the workers: the local one directly (``JobSignals``), the
/// ones in other processes through change events (`job.enqueued`, `job.cancel_requested`).
///
/// Services, job handlers, the scheduler and the CLI all enqueue through this type rather than
/// through the store, so no worker waits for its next poll to see new work.
public struct JobQueueClient: Sendable {
    let store: any MetadataStore
    let signals: JobSignals?
    /// When set, every job enqueued through this client gets this many attempts (the server's
    /// `job-max-attempts`).
    let maxAttempts: Int?
    let logger: Logger

    public init(store: any MetadataStore, signals: JobSignals? = nil, maxAttempts: Int? = nil, logger: Logger) {
        self.store = store
        self.signals = signals
        self.maxAttempts = maxAttempts
        self.logger = logger
    }

    /// Stores the job (or returns the one already holding its dedupe key) and wakes the workers.
    @discardableResult
    public func enqueue(_ job: NewJob) async throws -> JobRecord {
        var job = job
        if let maxAttempts = self.maxAttempts { job.maxAttempts = maxAttempts }
        let start = Date().addingTimeInterval(-0.002)
        let record = try await self.store.enqueueJob(job)
        // A dedupe key already held returns the older job: nothing new to announce.
        guard job.dedupeKey == nil || record.createdAt >= start else { return record }
        await self.announce(.jobEnqueued, record)
        self.signals?.jobsEnqueued()
        return record
    }

    /// Cancels a queued job at once; asks a running one to stop (it ends `cancelled` when its worker
    /// has stopped it). Finished jobs are returned unchanged. Throws `JOB_NOT_FOUND`.
    public func cancel(id: String) async throws -> JobRecord {
        let record = try await self.store.cancelJob(id: id)
        if record.state == .running, record.cancelRequested {
            await self.announce(.jobCancelRequested, record)
            self.signals?.cancellationRequested(jobID: id)
        }
        return record
    }

    /// Best effort: the event only makes other processes react sooner; they also poll.
    private func announce(_ kind: ChangeEvent.Kind, _ job: JobRecord) async {
        do {
            let payload: JSONValue = [
                "job_id": .string(job.id), "kind": .string(job.kind), "dataset_id": job.datasetID.map(JSONValue.string) ?? .null,
            ]
            _ = try await self.store.appendEvent(kind: kind, datasetID: nil, payload: payload)
        } catch {
            let code = (error as? AnalyticsError)?.code.rawValue ?? "unknown"
            self.logger.warning(
                "Could not announce a job change; other processes will see it at their next poll.",
                metadata: ["mcpa.job": "\(job.id)", "mcpa.error.code": "\(code)"]
            )
        }
    }
}

extension ChangeEvent.Kind {
    /// A job was enqueued (payload: `job_id`, `kind`, `dataset_id`).
    public static let jobEnqueued = ChangeEvent.Kind("job.enqueued")
    /// A running job's cancellation was requested (payload: `job_id`, `kind`, `dataset_id`).
    public static let jobCancelRequested = ChangeEvent.Kind("job.cancel_requested")
}
