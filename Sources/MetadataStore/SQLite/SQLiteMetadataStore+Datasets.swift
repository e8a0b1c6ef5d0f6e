import AnalyticsCore
import Foundation
import GRDB

extension SQLiteMetadataStore {
    public func createDataset(_ dataset: Dataset, secret: SealedSecret, actor: String) async throws -> Dataset {
        try await self.write("create dataset") { db in
            let stored = try RegistryRules.prepareNew(dataset, now: StoreTimestamp.now())
            if try Self.fetchDataset(db, id: stored.id) != nil {
                throw RegistryRules.datasetExists(stored.id)
            }
            try db.execute(
                sql: "INSERT INTO datasets (\(StoreRecords.datasetColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: StatementArguments(try Self.datasetValues(stored))
            )
            try Self.insertVersion(db, stored, author: actor, note: nil)
            try db.execute(
                sql: "INSERT INTO dataset_secrets (dataset_id, key_id, ciphertext, updated_at) VALUES (?, ?, ?, ?)",
                arguments: [stored.id, secret.keyID, secret.combined, stored.createdAt.sqliteText]
            )
            _ = try Self.insertEvent(db, kind: .datasetCreated, datasetID: stored.id, payload: RegistryRules.createdPayload(stored))
            return stored
        }
    }

    public func dataset(id: String) async throws -> Dataset? {
        try await self.read("read dataset") { db in try Self.fetchDataset(db, id: id) }
    }

    public func datasets(state: LifecycleState?, tag: String?) async throws -> [Dataset] {
        try await self.read("list datasets") { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let state {
                conditions.append("state = ?")
                arguments += [state.rawValue]
            }
            if let tag {
                conditions.append("EXISTS (SELECT 1 FROM json_each(datasets.tags) WHERE json_each.value = ?)")
                arguments += [tag]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT \(StoreRecords.datasetColumns) FROM datasets \(filter) ORDER BY id",
                arguments: arguments
            )
            return try rows.map { try StoreRecords.dataset(SQLiteRow($0)) }
        }
    }

    public func updateDataset(
        id: String,
        actor: String,
        note: String?,
        _ change: @Sendable (inout Dataset) throws -> Void
    ) async throws -> Dataset {
        try await self.write("update dataset") { db in
            let now = StoreTimestamp.now()
            guard let current = try Self.fetchDataset(db, id: id) else { throw AnalyticsError.datasetNotFound(id) }
            let updated = try RegistryRules.applyUpdate(to: current, now: now, change)
            try db.execute(
                sql: """
                    UPDATE datasets SET name = ?, description = ?, state = ?, tags = ?, owner = ?, default_persona = ?,
                        connection_kind = ?, redacted_url = ?, settings = ?, weighting = ?, metadata = ?, warnings = ?,
                        version = ?, ever_approved = ?, created_by = ?, created_at = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: StatementArguments(Array(try Self.datasetValues(updated).dropFirst()) + [id])
            )
            try Self.insertVersion(db, updated, author: actor, note: note)
            _ = try Self.insertEvent(db, kind: .datasetUpdated, datasetID: id, payload: RegistryRules.updatedPayload(updated))
            return updated
        }
    }

    public func transitionDataset(id: String, to target: LifecycleState, actor: String, note: String?) async throws -> Dataset {
        try await self.write("transition dataset") { db in
            let now = StoreTimestamp.now()
            guard let current = try Self.fetchDataset(db, id: id) else { throw AnalyticsError.datasetNotFound(id) }
            let moved = try RegistryRules.applyTransition(to: current, target: target, now: now)
            try db.execute(
                sql: "UPDATE datasets SET state = ?, ever_approved = ?, version = ?, updated_at = ? WHERE id = ?",
                arguments: [moved.state.rawValue, moved.everApproved, moved.version, moved.updatedAt.sqliteText, id]
            )
            try db.execute(
                sql: "INSERT INTO dataset_transitions (dataset_id, from_state, to_state, actor, note, at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [id, current.state.rawValue, moved.state.rawValue, actor, note, now.sqliteText]
            )
            _ = try Self.insertEvent(
                db,
                kind: .datasetTransitioned,
                datasetID: id,
                payload: RegistryRules.transitionedPayload(from: current.state, moved)
            )
            return moved
        }
    }

    public func transitions(datasetID: String) async throws -> [TransitionRecord] {
        try await self.read("list transitions") { db in
            try Row.fetchAll(
                db,
                sql: "SELECT dataset_id, from_state, to_state, actor, note, at FROM dataset_transitions WHERE dataset_id = ? ORDER BY id",
                arguments: [datasetID]
            ).map { try StoreRecords.transition(SQLiteRow($0)) }
        }
    }

    public func metadataVersions(datasetID: String) async throws -> [MetadataVersion] {
        try await self.read("list metadata versions") { db in
            try Row.fetchAll(
                db,
                sql: "SELECT dataset_id, version, author, note, at, snapshot FROM dataset_versions WHERE dataset_id = ? ORDER BY version",
                arguments: [datasetID]
            ).map { try StoreRecords.metadataVersion(SQLiteRow($0)) }
        }
    }

    static func fetchDataset(_ db: Database, id: String) throws -> Dataset? {
        try Row.fetchOne(db, sql: "SELECT \(StoreRecords.datasetColumns) FROM datasets WHERE id = ?", arguments: [id])
            .map { try StoreRecords.dataset(SQLiteRow($0)) }
    }

    /// Values for ``StoreRecords/datasetColumns``, in order.
    static func datasetValues(_ d: Dataset) throws -> [(any DatabaseValueConvertible)?] {
        [
            d.id, d.name, d.description, d.state.rawValue, try StoreJSON.encode(d.tags), d.owner, d.defaultPersona,
            d.connectionKind.rawValue, d.redactedURL, try StoreJSON.encode(d.settings), StoreJSON.optionalValue(d.weighting),
            StoreJSON.optionalValue(d.metadata), try StoreJSON.encode(d.warnings), d.version, d.everApproved, d.createdBy,
            d.createdAt.sqliteText, d.updatedAt.sqliteText,
        ]
    }

    static func insertVersion(_ db: Database, _ dataset: Dataset, author: String, note: String?) throws {
        try db.execute(
            sql: "INSERT INTO dataset_versions (dataset_id, version, author, note, at, snapshot) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [dataset.id, dataset.version, author, note, dataset.updatedAt.sqliteText, try StoreJSON.encode(dataset)]
        )
    }
}
