import AnalyticsCore
import Foundation
import PostgresNIO

extension PostgresMetadataStore {
    public func sealedSecret(datasetID: String) async throws -> SealedSecret? {
        try await self.connection("read secret") { connection in
            try await connection.firstRow(
                "SELECT key_id, ciphertext FROM dataset_secrets WHERE dataset_id = \(datasetID)",
                logger: self.logger
            ).map { try StoreRecords.sealedSecret($0) }
        }
    }

    public func allSealedSecrets() async throws -> [String: SealedSecret] {
        try await self.connection("list secrets") { connection in
            var secrets: [String: SealedSecret] = [:]
            for row in try await connection.rows("SELECT dataset_id, key_id, ciphertext FROM dataset_secrets", logger: self.logger) {
                secrets[try row.string("dataset_id")] = try StoreRecords.sealedSecret(row)
            }
            return secrets
        }
    }

    public func replaceSealedSecret(datasetID: String, with secret: SealedSecret, expectedKeyID: String) async throws -> Bool {
        try await self.transaction("replace secret") { connection in
            let replaced = try await connection.firstRow(
                """
                UPDATE dataset_secrets SET key_id = \(secret.keyID), ciphertext = \(secret.combined), updated_at = \(StoreTimestamp.now())
                WHERE dataset_id = \(datasetID) AND key_id = \(expectedKeyID)
                RETURNING dataset_id
                """,
                logger: self.logger
            )
            return replaced != nil
        }
    }

    public func setSealedSecret(datasetID: String, _ secret: SealedSecret) async throws {
        try await self.transaction("set secret") { connection in
            let dataset = try await connection.firstRow("SELECT id FROM datasets WHERE id = \(datasetID)", logger: self.logger)
            guard dataset != nil else { throw AnalyticsError.datasetNotFound(datasetID) }
            try await connection.query(
                """
                INSERT INTO dataset_secrets (dataset_id, key_id, ciphertext, updated_at)
                VALUES (\(datasetID), \(secret.keyID), \(secret.combined), \(StoreTimestamp.now()))
                ON CONFLICT (dataset_id) DO UPDATE SET key_id = excluded.key_id, ciphertext = excluded.ciphertext,
                    updated_at = excluded.updated_at
                """,
                logger: self.logger
            )
        }
    }
}
