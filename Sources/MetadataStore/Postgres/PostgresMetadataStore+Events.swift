import AnalyticsCore
import Foundation
import Logging
import PostgresNIO

extension PostgresMetadataStore {
    public func appendEvent(kind: ChangeEvent.Kind, datasetID: String?, payload: JSONValue) async throws -> ChangeEvent {
        try await self.transaction("append event") { connection in
            try await self.insertEvent(connection, kind: kind, datasetID: datasetID, payload: payload)
        }
    }

    public func events(after id: Int64, limit: Int) async throws -> [ChangeEvent] {
        try await self.connection("read events") { connection in
            try await connection.rows(
                "SELECT id, kind, dataset_id, payload, at FROM change_events WHERE id > \(id) ORDER BY id LIMIT \(max(limit, 0))",
                logger: self.logger
            ).map { try StoreRecords.event($0) }
        }
    }

    public func latestEventID() async throws -> Int64 {
        try await self.connection("latest event") { connection in
            try await connection.firstRow("SELECT COALESCE(MAX(id), 0)::bigint AS id FROM change_events", logger: self.logger)?
                .int64("id") ?? 0
        }
    }

    /// Appends an event inside the caller's transaction and notifies listeners on commit.
    ///
    /// The advisory lock serialises appends until commit, so ids become visible in increasing
    /// order and a poller that remembers the last id it saw never skips one.
    func insertEvent(
        _ connection: PostgresConnection,
        kind: ChangeEvent.Kind,
        datasetID: String?,
        payload: JSONValue
    ) async throws -> ChangeEvent {
        try await connection.query("SELECT pg_advisory_xact_lock(\(Self.eventLockKey))", logger: self.logger)
        let row = try await connection.firstRow(
            """
            INSERT INTO change_events (kind, dataset_id, payload, at)
            VALUES (\(kind.rawValue), \(datasetID), \(StoreJSON.value(payload))::jsonb, \(StoreTimestamp.now()))
            RETURNING id, kind, dataset_id, payload, at
            """,
            logger: self.logger
        )
        guard let row else { throw StoreFailure.unavailable("append event") }
        let event = try StoreRecords.event(row)
        try await connection.query("SELECT pg_notify(\(Self.eventChannel), \(String(event.id)))", logger: self.logger)
        return event
    }

    /// Listens on ``eventChannel`` on a dedicated connection (outside the pool) and calls
    /// `onNotification` once when listening starts and then for every notification, until the task
    /// is cancelled or the connection fails.
    public func listenForChanges(_ onNotification: @escaping @Sendable () -> Void) async throws {
        let configuration = try PostgresConnection.Configuration(url: self.url)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: self.logger)
        do {
            try await withTaskCancellationHandler {
                try await connection.listen(on: Self.eventChannel) { notifications in
                    onNotification()
                    for try await _ in notifications {
                        onNotification()
                    }
                }
            } onCancel: {
                connection.close().whenComplete { _ in }
            }
            try? await connection.close()
        } catch {
            try? await connection.close()
            if Task.isCancelled { return }
            throw StoreFailure.map(error, operation: "listen for changes", logger: self.logger)
        }
    }
}
