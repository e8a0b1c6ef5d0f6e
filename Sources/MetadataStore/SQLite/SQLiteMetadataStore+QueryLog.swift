import AnalyticsCore
import Foundation
import GRDB

extension SQLiteMetadataStore {
    public func appendQueryLog(_ entries: [QueryLogEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await self.write("append query log") { db in
            let insert = try db.cachedStatement(
                sql:
                    "INSERT OR IGNORE INTO query_log (\(StoreRecords.queryLogColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            )
            let link = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO query_log_datasets (log_id, dataset_id) VALUES (?, ?)"
            )
            for e in entries {
                let values: [(any DatabaseValueConvertible)?] = [
                    e.id, StoreTimestamp.normalize(e.at).sqliteText, e.principalID, e.principalName, e.clientName,
                    e.clientVersion, e.tool, try StoreJSON.encode(e.datasetIDs), e.normalizedSQL, e.fingerprint,
                    e.status.rawValue, e.errorCode, e.durationMs, e.rows, e.bytes, e.cached, e.planID, e.promptHash, e.persona,
                ]
                try insert.execute(arguments: StatementArguments(values))
                for datasetID in e.datasetIDs {
                    try link.execute(arguments: [e.id, datasetID])
                }
            }
        }
    }

    public func queryLog(_ filter: QueryLogFilter) async throws -> [QueryLogEntry] {
        try await self.read("read query log") { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let datasetID = filter.datasetID {
                conditions.append("id IN (SELECT log_id FROM query_log_datasets WHERE dataset_id = ?)")
                arguments += [datasetID]
            }
            if let principalID = filter.principalID {
                conditions.append("principal_id = ?")
                arguments += [principalID]
            }
            if let status = filter.status {
                conditions.append("status = ?")
                arguments += [status.rawValue]
            }
            if let since = filter.since {
                conditions.append("at >= ?")
                arguments += [StoreTimestamp.normalize(since).sqliteText]
            }
            arguments += [max(filter.limit, 0)]
            let clause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(
                db,
                sql: "SELECT \(StoreRecords.queryLogColumns) FROM query_log \(clause) ORDER BY at DESC, id DESC LIMIT ?",
                arguments: arguments
            ).map { try StoreRecords.queryLogEntry(SQLiteRow($0)) }
        }
    }

    public func countQueryLog() async throws -> Int {
        try await self.read("count query log") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM query_log") ?? 0
        }
    }

    public func purgeQueryLog(before date: Date) async throws -> Int {
        try await self.write("purge query log") { db in
            try db.execute(sql: "DELETE FROM query_log WHERE at < ?", arguments: [StoreTimestamp.normalize(date).sqliteText])
            return db.changesCount
        }
    }
}
