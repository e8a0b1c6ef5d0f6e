import AnalyticsCore
import Foundation
import GRDB

extension SQLiteMetadataStore {
    public func appendEvent(kind: ChangeEvent.Kind, datasetID: String?, payload: JSONValue) async throws -> ChangeEvent {
        try await self.write("append event") { db in
            try Self.insertEvent(db, kind: kind, datasetID: datasetID, payload: payload)
        }
    }

    public func events(after id: Int64, limit: Int) async throws -> [ChangeEvent] {
        try await self.read("read events") { db in
            try Row.fetchAll(
                db,
                sql: "SELECT id, kind, dataset_id, payload, at FROM change_events WHERE id > ? ORDER BY id LIMIT ?",
                arguments: [id, max(limit, 0)]
            ).map { try StoreRecords.event(SQLiteRow($0)) }
        }
    }

    public func latestEventID() async throws -> Int64 {
        try await self.read("latest event") { db in
            try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM change_events") ?? 0
        }
    }

    /// Appends an event inside the caller's transaction. Writes are serialised on SQLite, so ids
    /// become visible in increasing order and a poller never skips one.
    static func insertEvent(_ db: Database, kind: ChangeEvent.Kind, datasetID: String?, payload: JSONValue) throws -> ChangeEvent {
        let at = StoreTimestamp.now()
        let text = StoreJSON.value(payload)
        try db.execute(
            sql: "INSERT INTO change_events (kind, dataset_id, payload, at) VALUES (?, ?, ?, ?)",
            arguments: [kind.rawValue, datasetID, text, at.sqliteText]
        )
        let stored = try StoreJSON.value(from: text, what: "event payload")
        return ChangeEvent(id: db.lastInsertedRowID, kind: kind, datasetID: datasetID, payload: stored, at: at)
    }
}
