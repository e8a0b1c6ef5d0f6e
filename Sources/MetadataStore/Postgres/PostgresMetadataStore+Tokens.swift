import AnalyticsCore
import Foundation
import PostgresNIO

extension PostgresMetadataStore {
    public func createToken(name: String, role: Role, hash: String, userID: String) async throws -> APIToken {
        try await self.transaction("create token") { connection in
            let token = APIToken(id: RegistryRules.newID(), name: name, role: role, userID: userID, createdAt: StoreTimestamp.now())
            let inserted = try await connection.firstRow(
                """
                INSERT INTO api_tokens (id, name, role, token_hash, user_id, created_at)
                VALUES (\(token.id), \(token.name), \(token.role.rawValue), \(hash), \(userID), \(token.createdAt))
                ON CONFLICT (token_hash) DO NOTHING
                RETURNING id
                """,
                logger: self.logger
            )
            guard inserted != nil else { throw RegistryRules.tokenHashTaken() }
            return token
        }
    }

    public func token(hash: String) async throws -> APIToken? {
        try await self.connection("read token") { connection in
            try await connection.firstRow(
                "SELECT \(unescaped: StoreRecords.tokenColumns) FROM api_tokens WHERE token_hash = \(hash)",
                logger: self.logger
            ).map { try StoreRecords.token($0) }
        }
    }

    public func tokens() async throws -> [APIToken] {
        try await self.connection("list tokens") { connection in
            try await connection.rows(
                "SELECT \(unescaped: StoreRecords.tokenColumns) FROM api_tokens ORDER BY created_at, id",
                logger: self.logger
            ).map { try StoreRecords.token($0) }
        }
    }

    public func revokeToken(id: String) async throws -> APIToken {
        try await self.transaction("revoke token") { connection in
            let row = try await connection.firstRow(
                """
                UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, \(StoreTimestamp.now()))
                WHERE id = \(id)
                RETURNING \(unescaped: StoreRecords.tokenColumns)
                """,
                logger: self.logger
            )
            guard let row else { throw RegistryRules.tokenNotFound(id) }
            return try StoreRecords.token(row)
        }
    }

    public func touchToken(id: String, at: Date) async throws {
        try await self.transaction("touch token") { connection in
            let row = try await connection.firstRow(
                "UPDATE api_tokens SET last_used_at = \(StoreTimestamp.normalize(at)) WHERE id = \(id) RETURNING id",
                logger: self.logger
            )
            guard row != nil else { throw RegistryRules.tokenNotFound(id) }
        }
    }
}
