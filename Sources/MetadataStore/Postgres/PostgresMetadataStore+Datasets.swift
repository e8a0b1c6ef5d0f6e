import AnalyticsCore
import Foundation
import PostgresNIO

extension PostgresMetadataStore {
    public func createDataset(_ dataset: Dataset, secret: SealedSecret, actor: String) async throws -> Dataset {
        try await self.transaction("create dataset") { connection in
            let d = try RegistryRules.prepareNew(dataset, now: StoreTimestamp.now())
            let inserted = try await connection.firstRow(
                """
                INSERT INTO datasets (\(unescaped: StoreRecords.datasetColumns))
                VALUES (\(d.id), \(d.name), \(d.description), \(d.state.rawValue), \(try StoreJSON.encode(d.tags))::jsonb,
                    \(d.owner), \(d.defaultPersona), \(d.connectionKind.rawValue), \(d.redactedURL),
                    \(try StoreJSON.encode(d.settings))::jsonb, \(StoreJSON.optionalValue(d.weighting))::jsonb,
                    \(StoreJSON.optionalValue(d.metadata))::jsonb, \(try StoreJSON.encode(d.warnings))::jsonb, \(d.version),
                    \(d.everApproved), \(d.createdBy), \(d.createdAt), \(d.updatedAt))
                ON CONFLICT (id) DO NOTHING
                RETURNING id
                """,
                logger: self.logger
            )
            guard inserted != nil else { throw RegistryRules.datasetExists(d.id) }
            try await self.insertVersion(connection, d, author: actor, note: nil)
            try await connection.query(
                """
                INSERT INTO dataset_secrets (dataset_id, key_id, ciphertext, updated_at)
                VALUES (\(d.id), \(secret.keyID), \(secret.combined), \(d.createdAt))
                """,
                logger: self.logger
            )
            _ = try await self.insertEvent(connection, kind: .datasetCreated, datasetID: d.id, payload: RegistryRules.createdPayload(d))
            return d
        }
    }

    public func dataset(id: String) async throws -> Dataset? {
        try await self.connection("read dataset") { connection in
            try await connection.firstRow(
                "SELECT \(unescaped: StoreRecords.datasetColumns) FROM datasets WHERE id = \(id)",
                logger: self.logger
            ).map { try StoreRecords.dataset($0) }
        }
    }

    public func datasets(state: LifecycleState?, tag: String?) async throws -> [Dataset] {
        try await self.connection("list datasets") { connection in
            let query: PostgresQuery =
                """
                SELECT \(unescaped: StoreRecords.datasetColumns) FROM datasets
                WHERE (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
                  AND (\(tag)::text IS NULL OR tags @> jsonb_build_array(\(tag)::text))
                ORDER BY id
                """
            return try await connection.rows(query, logger: self.logger).map { try StoreRecords.dataset($0) }
        }
    }

    public func updateDataset(
        id: String,
        actor: String,
        note: String?,
        _ change: @Sendable (inout Dataset) throws -> Void
    ) async throws -> Dataset {
        try await withoutActuallyEscaping(change) { change in
            try await self.update(id: id, actor: actor, note: note, change)
        }
    }

    private func update(
        id: String,
        actor: String,
        note: String?,
        _ change: @escaping @Sendable (inout Dataset) throws -> Void
    ) async throws -> Dataset {
        try await self.transaction("update dataset") { connection in
            guard let current = try await self.lockDataset(connection, id: id) else { throw AnalyticsError.datasetNotFound(id) }
            let d = try RegistryRules.applyUpdate(to: current, now: StoreTimestamp.now(), change)
            try await connection.query(
                """
                UPDATE datasets SET name = \(d.name), description = \(d.description), tags = \(try StoreJSON.encode(d.tags))::jsonb,
                    owner = \(d.owner), default_persona = \(d.defaultPersona), connection_kind = \(d.connectionKind.rawValue),
                    redacted_url = \(d.redactedURL), settings = \(try StoreJSON.encode(d.settings))::jsonb,
                    weighting = \(StoreJSON.optionalValue(d.weighting))::jsonb,
                    metadata = \(StoreJSON.optionalValue(d.metadata))::jsonb,
                    warnings = \(try StoreJSON.encode(d.warnings))::jsonb, version = \(d.version), updated_at = \(d.updatedAt)
                WHERE id = \(id)
                """,
                logger: self.logger
            )
            try await self.insertVersion(connection, d, author: actor, note: note)
            _ = try await self.insertEvent(connection, kind: .datasetUpdated, datasetID: id, payload: RegistryRules.updatedPayload(d))
            return d
        }
    }

    public func transitionDataset(id: String, to target: LifecycleState, actor: String, note: String?) async throws -> Dataset {
        try await self.transaction("transition dataset") { connection in
            guard let current = try await self.lockDataset(connection, id: id) else { throw AnalyticsError.datasetNotFound(id) }
            let moved = try RegistryRules.applyTransition(to: current, target: target, now: StoreTimestamp.now())
            try await connection.query(
                """
                UPDATE datasets SET state = \(moved.state.rawValue), ever_approved = \(moved.everApproved),
                    version = \(moved.version), updated_at = \(moved.updatedAt)
                WHERE id = \(id)
                """,
                logger: self.logger
            )
            try await connection.query(
                """
                INSERT INTO dataset_transitions (dataset_id, from_state, to_state, actor, note, at)
                VALUES (\(id), \(current.state.rawValue), \(moved.state.rawValue), \(actor), \(note), \(moved.updatedAt))
                """,
                logger: self.logger
            )
            _ = try await self.insertEvent(
                connection,
                kind: .datasetTransitioned,
                datasetID: id,
                payload: RegistryRules.transitionedPayload(from: current.state, moved)
            )
            return moved
        }
    }

    public func transitions(datasetID: String) async throws -> [TransitionRecord] {
        try await self.connection("list transitions") { connection in
            try await connection.rows(
                """
                SELECT dataset_id, from_state, to_state, actor, note, at FROM dataset_transitions
                WHERE dataset_id = \(datasetID) ORDER BY id
                """,
                logger: self.logger
            ).map { try StoreRecords.transition($0) }
        }
    }

    public func metadataVersions(datasetID: String) async throws -> [MetadataVersion] {
        try await self.connection("list metadata versions") { connection in
            try await connection.rows(
                """
                SELECT dataset_id, version, author, note, at, snapshot::text AS snapshot FROM dataset_versions
                WHERE dataset_id = \(datasetID) ORDER BY version
                """,
                logger: self.logger
            ).map { try StoreRecords.metadataVersion($0) }
        }
    }

    /// Reads a dataset and holds its row lock until the transaction ends, so concurrent edits and
    /// moves of the same dataset run one after the other.
    func lockDataset(_ connection: PostgresConnection, id: String) async throws -> Dataset? {
        try await connection.firstRow(
            "SELECT \(unescaped: StoreRecords.datasetColumns) FROM datasets WHERE id = \(id) FOR UPDATE",
            logger: self.logger
        ).map { try StoreRecords.dataset($0) }
    }

    func insertVersion(_ connection: PostgresConnection, _ dataset: Dataset, author: String, note: String?) async throws {
        try await connection.query(
            """
            INSERT INTO dataset_versions (dataset_id, version, author, note, at, snapshot)
            VALUES (\(dataset.id), \(dataset.version), \(author), \(note), \(dataset.updatedAt), \(try StoreJSON.encode(dataset))::jsonb)
            """,
            logger: self.logger
        )
    }
}
