import AnalyticsCore
import Foundation
import PostgresNIO

extension PostgresMetadataStore {
    /// Rows per `INSERT` statement (19 parameters each, well under PostgreSQL's 65,535).
    static let queryLogBatchSize = 500

    /// Appends in one transaction with multi-row inserts. An entry whose id is already stored is
    /// skipped, so a retried append never duplicates entries.
    public func appendQueryLog(_ entries: [QueryLogEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await self.transaction("append query log") { connection in
            var start = 0
            while start < entries.count {
                let batch = entries[start..<min(start + Self.queryLogBatchSize, entries.count)]
                try await connection.query(try Self.insertQuery(batch), logger: self.logger)
                start += Self.queryLogBatchSize
            }
        }
    }

    public func queryLog(_ filter: QueryLogFilter) async throws -> [QueryLogEntry] {
        try await self.connection("read query log") { connection in
            let since = filter.since.map { StoreTimestamp.normalize($0) }
            let query: PostgresQuery = """
                SELECT \(unescaped: StoreRecords.queryLogColumns) FROM query_log
                WHERE (\(filter.datasetID)::text IS NULL OR dataset_ids @> jsonb_build_array(\(filter.datasetID)::text))
                  AND (\(filter.principalID)::text IS NULL OR principal_id = \(filter.principalID))
                  AND (\(filter.status?.rawValue)::text IS NULL OR status = \(filter.status?.rawValue))
                  AND (\(since)::timestamptz IS NULL OR at >= \(since))
                ORDER BY at DESC, id DESC
                LIMIT \(max(filter.limit, 0))
                """
            return try await connection.rows(query, logger: self.logger).map { try StoreRecords.queryLogEntry($0) }
        }
    }

    public func countQueryLog() async throws -> Int {
        try await self.connection("count query log") { connection in
            try await connection.firstRow("SELECT COUNT(*) AS n FROM query_log", logger: self.logger)?.int("n") ?? 0
        }
    }

    public func purgeQueryLog(before date: Date) async throws -> Int {
        try await self.transaction("purge query log") { connection in
            try await connection.firstRow(
                """
                WITH deleted AS (DELETE FROM query_log WHERE at < \(StoreTimestamp.normalize(date)) RETURNING 1)
                SELECT COUNT(*) AS n FROM deleted
                """,
                logger: self.logger
            )?.int("n") ?? 0
        }
    }

    /// One multi-row `INSERT` with every value bound as a parameter.
    static func insertQuery(_ entries: ArraySlice<QueryLogEntry>) throws -> PostgresQuery {
        var bindings = PostgresBindings(capacity: entries.count * 19)
        var tuples: [String] = []
        tuples.reserveCapacity(entries.count)
        for e in entries {
            let base = bindings.count
            bindings.append(e.id)
            bindings.append(StoreTimestamp.normalize(e.at))
            bindings.append(e.principalID)
            bindings.append(e.principalName)
            bindings.append(e.clientName)
            bindings.append(e.clientVersion)
            bindings.append(e.tool)
            bindings.append(try StoreJSON.encode(e.datasetIDs))
            bindings.append(e.normalizedSQL)
            bindings.append(e.fingerprint)
            bindings.append(e.status.rawValue)
            bindings.append(e.errorCode)
            bindings.append(e.durationMs)
            bindings.append(e.rows)
            bindings.append(e.bytes)
            bindings.append(e.cached)
            bindings.append(e.planID)
            bindings.append(e.promptHash)
            bindings.append(e.persona)
            let placeholders = (1...19).map { index in index == 8 ? "$\(base + index)::jsonb" : "$\(base + index)" }
            tuples.append("(" + placeholders.joined(separator: ", ") + ")")
        }
        let sql = """
            INSERT INTO query_log (\(StoreRecords.queryLogColumns)) VALUES \(tuples.joined(separator: ", "))
            ON CONFLICT (id) DO NOTHING
            """
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }
}
