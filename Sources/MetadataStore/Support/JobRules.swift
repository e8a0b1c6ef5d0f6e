import AnalyticsCore
import Foundation

/// Job state changes both stores apply identically to a row they hold locked.
enum JobRules {
    static func newRecord(_ job: NewJob, now: Date) throws -> JobRecord {
        guard !job.kind.isEmpty else {
            throw AnalyticsError.invalidRequest("A job needs a kind.", hint: "For example 'profile' or 'purge_query_log'.")
        }
        guard job.maxAttempts >= 1 else {
            throw AnalyticsError.invalidRequest("maxAttempts must be at least 1 (got \(job.maxAttempts)).")
        }
        if let key = job.dedupeKey, key.isEmpty || key.count > 300 {
            throw AnalyticsError.invalidRequest("A job's dedupe key must have 1–300 characters.")
        }
        let payload = try StoreJSON.value(from: StoreJSON.value(job.payload), what: "job payload")
        return JobRecord(
            id: RegistryRules.newID(),
            kind: job.kind,
            datasetID: job.datasetID,
            payload: payload,
            state: .queued,
            attempts: 0,
            maxAttempts: job.maxAttempts,
            runAfter: StoreTimestamp.normalize(job.runAfter ?? now),
            leaseOwner: nil,
            leaseExpiresAt: nil,
            progress: 0,
            message: nil,
            result: nil,
            error: nil,
            cancelRequested: false,
            createdAt: now,
            updatedAt: now,
            dedupeKey: job.dedupeKey
        )
    }

    static func leaseEnd(now: Date, seconds: Double) -> Date {
        StoreTimestamp.normalize(now.addingTimeInterval(max(seconds, 0)))
    }

    /// A running job whose lease lapsed and that must not run again: cancelled if a cancel was
    /// requested, failed if it used its last attempt; `nil` if it may be claimed again.
    static func reaped(_ job: JobRecord, now: Date) -> JobRecord? {
        var job = job
        if job.cancelRequested {
            job.state = .cancelled
        } else if job.attempts >= job.maxAttempts {
            job.state = .failed
            job.error = "The worker's lease expired during the last allowed attempt."
        } else {
            return nil
        }
        job.leaseExpiresAt = nil
        job.updatedAt = now
        return job
    }

    static func claimed(_ job: JobRecord, workerID: String, leaseSeconds: Double, now: Date) -> JobRecord {
        var job = job
        job.state = .running
        job.attempts += 1
        job.leaseOwner = workerID
        job.leaseExpiresAt = self.leaseEnd(now: now, seconds: leaseSeconds)
        job.updatedAt = now
        return job
    }

    /// The job if `workerID` holds its lease; `JOB_NOT_FOUND` or `CONFLICT` otherwise.
    static func requireLease(_ job: JobRecord?, id: String, workerID: String) throws -> JobRecord {
        guard let job else { throw RegistryRules.jobNotFound(id) }
        guard job.state == .running, job.leaseOwner == workerID else {
            throw RegistryRules.leaseLost(id, workerID: workerID)
        }
        return job
    }

    static func heartbeat(_ job: JobRecord, leaseSeconds: Double, progress: Int, message: String?, now: Date) -> JobRecord {
        var job = job
        job.leaseExpiresAt = self.leaseEnd(now: now, seconds: leaseSeconds)
        job.progress = RegistryRules.clampProgress(progress)
        if let message { job.message = message }
        job.updatedAt = now
        return job
    }

    static func completed(_ job: JobRecord, result: JSONValue, now: Date) throws -> JobRecord {
        var job = job
        job.state = .succeeded
        job.result = try StoreJSON.value(from: StoreJSON.value(result), what: "job result")
        job.progress = 100
        job.error = nil
        job.leaseExpiresAt = nil
        job.updatedAt = now
        return job
    }

    /// Back to `queued` after `retryAfter` seconds while attempts remain and the failure is
    /// `retryable`, else `failed`; a job whose cancellation was requested ends `cancelled` instead.
    static func failed(_ job: JobRecord, error: String, retryAfter: Double, retryable: Bool = true, now: Date) -> JobRecord {
        var job = job
        job.error = error
        job.leaseExpiresAt = nil
        job.updatedAt = now
        if job.cancelRequested {
            job.state = .cancelled
        } else if retryable, job.attempts < job.maxAttempts {
            job.state = .queued
            job.leaseOwner = nil
            job.runAfter = StoreTimestamp.normalize(now.addingTimeInterval(max(retryAfter, 0)))
        } else {
            job.state = .failed
        }
        return job
    }

    /// Queued → cancelled; running → cancel requested; finished jobs are returned unchanged.
    static func cancelled(_ job: JobRecord, now: Date) -> JobRecord {
        var job = job
        switch job.state {
        case .queued:
            job.state = .cancelled
            job.cancelRequested = true
        case .running:
            job.cancelRequested = true
        case .succeeded, .failed, .cancelled:
            return job
        }
        job.updatedAt = now
        return job
    }

    /// Hands a running job back to the queue without counting the attempt (its worker is stopping
    /// gracefully); a job whose cancellation was requested ends `cancelled` instead.
    static func released(_ job: JobRecord, now: Date) -> JobRecord {
        var job = job
        job.leaseExpiresAt = nil
        job.updatedAt = now
        if job.cancelRequested {
            job.state = .cancelled
            return job
        }
        job.state = .queued
        job.attempts = max(job.attempts - 1, 0)
        job.leaseOwner = nil
        job.runAfter = now
        job.message = "Released by a stopping worker; waiting for another worker."
        return job
    }

    static func markedCancelled(_ job: JobRecord, now: Date) -> JobRecord {
        var job = job
        job.state = .cancelled
        job.leaseExpiresAt = nil
        job.updatedAt = now
        return job
    }
}
