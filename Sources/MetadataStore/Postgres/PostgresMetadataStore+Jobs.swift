import AnalyticsCore
import Foundation
import PostgresNIO

extension PostgresMetadataStore {
    public func enqueueJob(_ job: NewJob) async throws -> JobRecord {
        try await self.transaction("enqueue job") { connection in
            let j = try JobRules.newRecord(job, now: StoreTimestamp.now())
            let inserted = try await connection.firstRow(
                """
                INSERT INTO jobs (\(unescaped: StoreRecords.jobColumns))
                VALUES (\(j.id), \(j.kind), \(j.datasetID), \(StoreJSON.value(j.payload))::jsonb, \(j.state.rawValue),
                    \(j.attempts), \(j.maxAttempts), \(j.runAfter), \(j.leaseOwner), \(j.leaseExpiresAt), \(j.progress),
                    \(j.message), \(StoreJSON.optionalValue(j.result))::jsonb, \(j.error), \(j.cancelRequested),
                    \(j.createdAt), \(j.updatedAt), \(j.dedupeKey))
                ON CONFLICT (dedupe_key) DO NOTHING
                RETURNING id
                """,
                logger: self.logger
            )
            if inserted != nil { return j }
            // The key is taken: the conflicting insert has committed (ON CONFLICT waited for it), so
            // this statement's fresh snapshot sees it.
            guard let key = j.dedupeKey,
                let existing = try await connection.firstRow(
                    "SELECT \(unescaped: StoreRecords.jobColumns) FROM jobs WHERE dedupe_key = \(key)",
                    logger: self.logger
                )
            else { throw StoreFailure.unavailable("enqueue job") }
            return try StoreRecords.job(existing)
        }
    }

    /// Claims with one `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1)`: concurrent
    /// claimers in any process skip rows another claimer holds, so no job is handed out twice and
    /// nobody waits on anybody.
    public func claimJob(kinds: [String], workerID: String, leaseSeconds: Double) async throws -> JobRecord? {
        guard !kinds.isEmpty else { return nil }
        return try await self.transaction("claim job") { connection in
            let now = StoreTimestamp.now()
            try await self.reapExpiredJobs(connection, now: now)
            let leaseEnd = JobRules.leaseEnd(now: now, seconds: leaseSeconds)
            let row = try await connection.firstRow(
                """
                UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = \(workerID),
                    lease_expires_at = \(leaseEnd), updated_at = \(now)
                WHERE id = (
                    SELECT id FROM jobs
                    WHERE kind = ANY(\(kinds))
                      AND ((state = 'queued' AND run_after <= \(now))
                        OR (state = 'running' AND lease_expires_at < \(now) AND attempts < max_attempts AND NOT cancel_requested))
                    ORDER BY run_after, created_at, id
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED
                )
                RETURNING \(unescaped: StoreRecords.jobColumns)
                """,
                logger: self.logger
            )
            return try row.map { try StoreRecords.job($0) }
        }
    }

    public func heartbeatJob(id: String, workerID: String, leaseSeconds: Double, progress: Int, message: String?) async throws -> JobRecord {
        try await self.updateLeasedJob("heartbeat job", id: id, workerID: workerID) { job, now in
            JobRules.heartbeat(job, leaseSeconds: leaseSeconds, progress: progress, message: message, now: now)
        }
    }

    public func completeJob(id: String, workerID: String, result: JSONValue) async throws -> JobRecord {
        try await self.updateLeasedJob("complete job", id: id, workerID: workerID) { job, now in
            try JobRules.completed(job, result: result, now: now)
        }
    }

    public func failJob(id: String, workerID: String, error: String, retryAfter: Double, retryable: Bool) async throws -> JobRecord {
        try await self.updateLeasedJob("fail job", id: id, workerID: workerID) { job, now in
            JobRules.failed(job, error: error, retryAfter: retryAfter, retryable: retryable, now: now)
        }
    }

    public func releaseJob(id: String, workerID: String) async throws -> JobRecord {
        try await self.updateLeasedJob("release job", id: id, workerID: workerID) { job, now in
            JobRules.released(job, now: now)
        }
    }

    public func markJobCancelled(id: String, workerID: String) async throws -> JobRecord {
        try await self.updateLeasedJob("mark job cancelled", id: id, workerID: workerID) { job, now in
            JobRules.markedCancelled(job, now: now)
        }
    }

    public func cancelJob(id: String) async throws -> JobRecord {
        try await self.transaction("cancel job") { connection in
            guard let job = try await self.lockJob(connection, id: id) else { throw RegistryRules.jobNotFound(id) }
            let updated = JobRules.cancelled(job, now: StoreTimestamp.now())
            if updated != job { try await self.saveJob(connection, updated) }
            return updated
        }
    }

    public func job(id: String) async throws -> JobRecord? {
        try await self.connection("read job") { connection in
            try await connection.firstRow(
                "SELECT \(unescaped: StoreRecords.jobColumns) FROM jobs WHERE id = \(id)",
                logger: self.logger
            ).map { try StoreRecords.job($0) }
        }
    }

    public func jobs(datasetID: String?, limit: Int) async throws -> [JobRecord] {
        try await self.connection("list jobs") { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: StoreRecords.jobColumns) FROM jobs
                WHERE (\(datasetID)::text IS NULL OR dataset_id = \(datasetID))
                ORDER BY created_at DESC, id DESC
                LIMIT \(max(limit, 0))
                """,
                logger: self.logger
            ).map { try StoreRecords.job($0) }
        }
    }

    private func updateLeasedJob(
        _ operation: String,
        id: String,
        workerID: String,
        _ change: @escaping @Sendable (JobRecord, Date) throws -> JobRecord
    ) async throws -> JobRecord {
        try await self.transaction(operation) { connection in
            let job = try JobRules.requireLease(try await self.lockJob(connection, id: id), id: id, workerID: workerID)
            let updated = try change(job, StoreTimestamp.now())
            try await self.saveJob(connection, updated)
            return updated
        }
    }

    /// Ends lapsed jobs that may not run again; rows another transaction holds are left for later.
    func reapExpiredJobs(_ connection: PostgresConnection, now: Date) async throws {
        let rows = try await connection.rows(
            """
            SELECT \(unescaped: StoreRecords.jobColumns) FROM jobs
            WHERE state = 'running' AND lease_expires_at < \(now) AND (cancel_requested OR attempts >= max_attempts)
            FOR UPDATE SKIP LOCKED
            """,
            logger: self.logger
        )
        for row in rows {
            if let reaped = JobRules.reaped(try StoreRecords.job(row), now: now) {
                try await self.saveJob(connection, reaped)
            }
        }
    }

    func lockJob(_ connection: PostgresConnection, id: String) async throws -> JobRecord? {
        try await connection.firstRow(
            "SELECT \(unescaped: StoreRecords.jobColumns) FROM jobs WHERE id = \(id) FOR UPDATE",
            logger: self.logger
        ).map { try StoreRecords.job($0) }
    }

    /// Writes every mutable column of `job` back to its row.
    func saveJob(_ connection: PostgresConnection, _ j: JobRecord) async throws {
        try await connection.query(
            """
            UPDATE jobs SET state = \(j.state.rawValue), attempts = \(j.attempts), max_attempts = \(j.maxAttempts),
                run_after = \(j.runAfter), lease_owner = \(j.leaseOwner), lease_expires_at = \(j.leaseExpiresAt),
                progress = \(j.progress), message = \(j.message), result = \(StoreJSON.optionalValue(j.result))::jsonb,
                error = \(j.error), cancel_requested = \(j.cancelRequested), updated_at = \(j.updatedAt)
            WHERE id = \(j.id)
            """,
            logger: self.logger
        )
    }
}
