import AnalyticsCore
import Foundation
import GRDB

extension SQLiteMetadataStore {
    public func createToken(name: String, role: Role, hash: String, userID: String) async throws -> APIToken {
        try await self.write("create token") { db in
            let token = APIToken(id: RegistryRules.newID(), name: name, role: role, userID: userID, createdAt: StoreTimestamp.now())
            let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM api_tokens WHERE token_hash = ?)", arguments: [hash])
            guard exists != true else { throw RegistryRules.tokenHashTaken() }
            try db.execute(
                sql: "INSERT INTO api_tokens (id, name, role, token_hash, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [token.id, token.name, token.role.rawValue, hash, userID, token.createdAt.sqliteText]
            )
            return token
        }
    }

    public func token(hash: String) async throws -> APIToken? {
        try await self.read("read token") { db in
            try Row.fetchOne(db, sql: "SELECT \(StoreRecords.tokenColumns) FROM api_tokens WHERE token_hash = ?", arguments: [hash])
                .map { try StoreRecords.token(SQLiteRow($0)) }
        }
    }

    public func tokens() async throws -> [APIToken] {
        try await self.read("list tokens") { db in
            try Row.fetchAll(db, sql: "SELECT \(StoreRecords.tokenColumns) FROM api_tokens ORDER BY created_at, id")
                .map { try StoreRecords.token(SQLiteRow($0)) }
        }
    }

    public func revokeToken(id: String) async throws -> APIToken {
        try await self.write("revoke token") { db in
            try db.execute(
                sql: "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [StoreTimestamp.now().sqliteText, id]
            )
            guard let row = try Row.fetchOne(db, sql: "SELECT \(StoreRecords.tokenColumns) FROM api_tokens WHERE id = ?", arguments: [id])
            else { throw RegistryRules.tokenNotFound(id) }
            return try StoreRecords.token(SQLiteRow(row))
        }
    }

    public func touchToken(id: String, at: Date) async throws {
        try await self.write("touch token") { db in
            try db.execute(
                sql: "UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
                arguments: [StoreTimestamp.normalize(at).sqliteText, id]
            )
            guard db.changesCount > 0 else { throw RegistryRules.tokenNotFound(id) }
        }
    }
}
