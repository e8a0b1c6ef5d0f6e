import AnalyticsCore
import Foundation
import GRDB

extension SQLiteMetadataStore {
    public func sealedSecret(datasetID: String) async throws -> SealedSecret? {
        try await self.read("read secret") { db in
            try Row.fetchOne(db, sql: "SELECT key_id, ciphertext FROM dataset_secrets WHERE dataset_id = ?", arguments: [datasetID])
                .map { try StoreRecords.sealedSecret(SQLiteRow($0)) }
        }
    }

    public func allSealedSecrets() async throws -> [String: SealedSecret] {
        try await self.read("list secrets") { db in
            var secrets: [String: SealedSecret] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT dataset_id, key_id, ciphertext FROM dataset_secrets") {
                secrets[try SQLiteRow(row).string("dataset_id")] = try StoreRecords.sealedSecret(SQLiteRow(row))
            }
            return secrets
        }
    }

    public func replaceSealedSecret(datasetID: String, with secret: SealedSecret, expectedKeyID: String) async throws -> Bool {
        try await self.write("replace secret") { db in
            try db.execute(
                sql: "UPDATE dataset_secrets SET key_id = ?, ciphertext = ?, updated_at = ? WHERE dataset_id = ? AND key_id = ?",
                arguments: [secret.keyID, secret.combined, StoreTimestamp.now().sqliteText, datasetID, expectedKeyID]
            )
            return db.changesCount > 0
        }
    }

    public func setSealedSecret(datasetID: String, _ secret: SealedSecret) async throws {
        try await self.write("set secret") { db in
            guard try Self.fetchDataset(db, id: datasetID) != nil else { throw AnalyticsError.datasetNotFound(datasetID) }
            try db.execute(
                sql: """
                    INSERT INTO dataset_secrets (dataset_id, key_id, ciphertext, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (dataset_id) DO UPDATE SET key_id = excluded.key_id, ciphertext = excluded.ciphertext,
                        updated_at = excluded.updated_at
                    """,
                arguments: [datasetID, secret.keyID, secret.combined, StoreTimestamp.now().sqliteText]
            )
        }
    }
}
