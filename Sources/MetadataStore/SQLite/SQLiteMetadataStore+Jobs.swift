import AnalyticsCore
import Foundation
import GRDB

extension SQLiteMetadataStore {
    public func enqueueJob(_ job: NewJob) async throws -> JobRecord {
        try await self.write("enqueue job") { db in
            let record = try JobRules.newRecord(job, now: StoreTimestamp.now())
            if let key = record.dedupeKey,
                let existing = try Row.fetchOne(
                    db,
                    sql: "SELECT \(StoreRecords.jobColumns) FROM jobs WHERE dedupe_key = ?",
                    arguments: [key]
                )
            {
                return try StoreRecords.job(SQLiteRow(existing))
            }
            try db.execute(
                sql: "INSERT INTO jobs (\(StoreRecords.jobColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: StatementArguments(Self.jobValues(record))
            )
            return record
        }
    }

    /// Claims inside an `IMMEDIATE` transaction, which holds the file's write lock from the first
    /// read, so two claimers (threads or processes) can never pick the same job.
    public func claimJob(kinds: [String], workerID: String, leaseSeconds: Double) async throws -> JobRecord? {
        guard !kinds.isEmpty else { return nil }
        return try await self.write("claim job") { db in
            let now = StoreTimestamp.now()
            try Self.reapExpiredJobs(db, now: now)
            let placeholders = Array(repeating: "?", count: kinds.count).joined(separator: ", ")
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT \(StoreRecords.jobColumns) FROM jobs
                    WHERE kind IN (\(placeholders))
                      AND ((state = 'queued' AND run_after <= ?)
                        OR (state = 'running' AND lease_expires_at < ? AND attempts < max_attempts AND cancel_requested = 0))
                    ORDER BY run_after, created_at, rowid
                    LIMIT 1
                    """,
                arguments: StatementArguments(kinds + [now.sqliteText, now.sqliteText])
            )
            guard let row else { return nil }
            let job = JobRules.claimed(try StoreRecords.job(SQLiteRow(row)), workerID: workerID, leaseSeconds: leaseSeconds, now: now)
            try Self.saveJob(db, job)
            return job
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
        try await self.write("cancel job") { db in
            guard let job = try Self.fetchJob(db, id: id) else { throw RegistryRules.jobNotFound(id) }
            let updated = JobRules.cancelled(job, now: StoreTimestamp.now())
            if updated != job { try Self.saveJob(db, updated) }
            return updated
        }
    }

    public func job(id: String) async throws -> JobRecord? {
        try await self.read("read job") { db in try Self.fetchJob(db, id: id) }
    }

    public func jobs(datasetID: String?, limit: Int) async throws -> [JobRecord] {
        try await self.read("list jobs") { db in
            let rows: [Row]
            if let datasetID {
                rows = try Row.fetchAll(
                    db,
                    sql: "SELECT \(StoreRecords.jobColumns) FROM jobs WHERE dataset_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?",
                    arguments: [datasetID, max(limit, 0)]
                )
            } else {
                rows = try Row.fetchAll(
                    db,
                    sql: "SELECT \(StoreRecords.jobColumns) FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?",
                    arguments: [max(limit, 0)]
                )
            }
            return try rows.map { try StoreRecords.job(SQLiteRow($0)) }
        }
    }

    private func updateLeasedJob(
        _ operation: String,
        id: String,
        workerID: String,
        _ change: @escaping @Sendable (JobRecord, Date) throws -> JobRecord
    ) async throws -> JobRecord {
        try await self.write(operation) { db in
            let job = try JobRules.requireLease(try Self.fetchJob(db, id: id), id: id, workerID: workerID)
            let updated = try change(job, StoreTimestamp.now())
            try Self.saveJob(db, updated)
            return updated
        }
    }

    /// Ends running jobs whose lease lapsed and that may not run again (see ``JobRules/reaped(_:now:)``).
    static func reapExpiredJobs(_ db: Database, now: Date) throws {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT \(StoreRecords.jobColumns) FROM jobs
                WHERE state = 'running' AND lease_expires_at < ? AND (cancel_requested = 1 OR attempts >= max_attempts)
                """,
            arguments: [now.sqliteText]
        )
        for row in rows {
            if let reaped = JobRules.reaped(try StoreRecords.job(SQLiteRow(row)), now: now) {
                try self.saveJob(db, reaped)
            }
        }
    }

    static func fetchJob(_ db: Database, id: String) throws -> JobRecord? {
        try Row.fetchOne(db, sql: "SELECT \(StoreRecords.jobColumns) FROM jobs WHERE id = ?", arguments: [id])
            .map { try StoreRecords.job(SQLiteRow($0)) }
    }

    /// Writes every mutable column of `job` back to its row.
    static func saveJob(_ db: Database, _ job: JobRecord) throws {
        try db.execute(
            sql: """
                UPDATE jobs SET kind = ?, dataset_id = ?, payload = ?, state = ?, attempts = ?, max_attempts = ?,
                    run_after = ?, lease_owner = ?, lease_expires_at = ?, progress = ?, message = ?, result = ?, error = ?,
                    cancel_requested = ?, created_at = ?, updated_at = ?
                WHERE id = ?
                """,
            arguments: StatementArguments(Array(self.jobValues(job).dropFirst().dropLast()) + [job.id])
        )
    }

    /// Values for ``StoreRecords/jobColumns``, in order.
    static func jobValues(_ j: JobRecord) -> [(any DatabaseValueConvertible)?] {
        [
            j.id, j.kind, j.datasetID, StoreJSON.value(j.payload), j.state.rawValue, j.attempts, j.maxAttempts,
            j.runAfter.sqliteText, j.leaseOwner, j.leaseExpiresAt?.sqliteText, j.progress, j.message,
            StoreJSON.optionalValue(j.result), j.error, j.cancelRequested, j.createdAt.sqliteText, j.updatedAt.sqliteText,
            j.dedupeKey,
        ]
    }
}
