import AnalyticsCore
import Foundation
import Logging
import MetadataStore

extension JobWorker {
    /// What ended a handler's run first.
    enum Outcome: Sendable {
        case finished(Result<JSONValue, any Error>)
        case stopped(JobLease.Stop)
        case shutdown
        /// The worker's own task was cancelled (a kill): the store is left alone.
        case abandoned
    }

    /// Runs one claimed job to its end: the handler, its lease, and what the store records.
    func execute(_ job: JobRecord) async {
        var logger = self.logger
        logger[metadataKey: "mcpa.job"] = "\(job.id)"
        logger[metadataKey: "mcpa.job.kind"] = "\(job.kind)"
        if let dataset = job.datasetID { logger[metadataKey: "mcpa.dataset"] = "\(dataset)" }
        guard let handler = self.handlers[job.kind] else { return }
        let lease = JobLease(job: job)
        self.signals.register(lease)
        defer { self.signals.unregister(lease) }
        let context = JobContext(job: job, jobs: self.client, logger: logger, lease: lease)
        logger.debug("Job started.", metadata: ["mcpa.job.attempt": "\(job.attempts)"])

        let outcome = await self.race(job, handler: handler, lease: lease, context: context, logger: logger)
        switch outcome {
        case .abandoned:
            logger.info("Worker cancelled mid-job; the job is left to its lease.")
        case .shutdown:
            await self.settle(job, context: context, handler: handler, logger: logger, "release") {
                try await self.store.releaseJob(id: job.id, workerID: self.workerID)
            }
        case .stopped(.leaseLost):
            logger.warning("Lost the lease on a running job; another worker may run it.")
        case .stopped(.cancelRequested):
            await self.settle(job, context: context, handler: handler, logger: logger, "cancel") {
                try await self.store.markJobCancelled(id: job.id, workerID: self.workerID)
            }
        case .finished(.success(let result)):
            await self.settle(job, context: context, handler: handler, logger: logger, "complete") {
                try await self.store.completeJob(id: job.id, workerID: self.workerID, result: result)
            }
        case .finished(.failure(let error)):
            let failure = JobFailure(error)
            if !(error is AnalyticsError) {
                logger.error("Job handler threw an unexpected error.", metadata: ["mcpa.error.type": "\(String(reflecting: type(of: error)))"])
            }
            let delay = self.configuration.retryDelay(afterAttempt: job.attempts)
            await self.settle(job, context: context, handler: handler, logger: logger, "fail") {
                try await self.store.failJob(
                    id: job.id,
                    workerID: self.workerID,
                    error: failure.text,
                    retryAfter: delay,
                    retryable: failure.retryable
                )
            }
        }
    }

    /// Runs the handler against the lease watcher and the shutdown signal; the first to finish wins
    /// and the others are cancelled (the handler is awaited until it stops).
    private func race(_ job: JobRecord, handler: any JobHandler, lease: JobLease, context: JobContext, logger: Logger) async -> Outcome {
        let attribution = JobAttribution(jobID: job.id, datasetID: job.datasetID)
        let outcome = await withTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                do {
                    let result = try await JobAttribution.$current.withValue(attribution) {
                        try await handler.run(job, context: context)
                    }
                    return .finished(.success(result))
                } catch {
                    return .finished(.failure(error))
                }
            }
            group.addTask {
                let stop = await lease.watch(
                    store: self.store,
                    workerID: self.workerID,
                    leaseSeconds: self.configuration.leaseSeconds,
                    interval: self.configuration.heartbeatInterval,
                    logger: logger
                )
                return stop.map { .stopped($0) }
            }
            group.addTask {
                await self.stopping.wait(after: 0)
                return Task.isCancelled ? nil : .shutdown
            }
            var first: Outcome?
            while first == nil, let next = await group.next() {
                first = next
            }
            group.cancelAll()
            return first
        }
        if Task.isCancelled { return .abandoned }
        return outcome ?? .abandoned
    }

    /// Records the job's end in the store; when the job ended for good without succeeding, lets
    /// the handler tidy up.
    private func settle(
        _ job: JobRecord,
        context: JobContext,
        handler: any JobHandler,
        logger: Logger,
        _ operation: String,
        _ record: () async throws -> JobRecord
    ) async {
        do {
            let ended = try await Self.retryingUnavailableStore(record)
            logger.info(
                "Job \(ended.state.rawValue).",
                metadata: ["mcpa.job.attempt": "\(job.attempts)", "mcpa.job.state": "\(ended.state.rawValue)"]
            )
            if ended.state == .failed || ended.state == .cancelled {
                await handler.jobEnded(ended, context: context)
            }
        } catch {
            let code = (error as? AnalyticsError)?.code.rawValue ?? "unknown"
            logger.warning(
                "Could not record the job's end; its lease will lapse and it may run again.",
                metadata: ["mcpa.job.operation": "\(operation)", "mcpa.error.code": "\(code)"]
            )
        }
    }

    /// Runs a store write again after short pauses while the store answers `STORE_UNAVAILABLE`
    /// (a busy SQLite file, a PostgreSQL failover), so a finished job is not left to its lease and
    /// run a second time over a passing hiccup. Cancellation ends the pauses.
    static func retryingUnavailableStore(attempts: Int = 4, _ body: () async throws -> JobRecord) async throws -> JobRecord {
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch let error as AnalyticsError where error.code == .storeUnavailable && attempt < attempts {
                try await Task.sleep(for: .milliseconds(200 * attempt))
                attempt += 1
            }
        }
    }
}
