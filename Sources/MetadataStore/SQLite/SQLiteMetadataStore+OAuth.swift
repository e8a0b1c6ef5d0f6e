import AnalyticsCore
import Foundation
import GRDB

extension SQLiteMetadataStore {
    public func saveOAuthClient(_ client: OAuthClientRecord) async throws {
        let redirects = try StoreJSON.encode(client.redirectURIs)
        try await self.write("save OAuth client") { db in
            try db.execute(
                sql: """
                    INSERT INTO oauth_clients (\(StoreRecords.clientColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (client_id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
                        redirect_uris = excluded.redirect_uris, token_endpoint_auth_method = excluded.token_endpoint_auth_method,
                        secret_hash = excluded.secret_hash, client_uri = excluded.client_uri, fetched_at = excluded.fetched_at
                    """,
                arguments: [
                    client.id, client.kind.rawValue, client.name, redirects, client.tokenEndpointAuthMethod, client.secretHash,
                    client.clientURI, StoreTimestamp.normalize(client.createdAt).sqliteText, client.fetchedAt?.sqliteText,
                ]
            )
        }
    }

    public func oauthClient(id: String) async throws -> OAuthClientRecord? {
        try await self.read("read OAuth client") { db in
            try Row.fetchOne(db, sql: "SELECT \(StoreRecords.clientColumns) FROM oauth_clients WHERE client_id = ?", arguments: [id])
                .map { try StoreRecords.client(SQLiteRow($0)) }
        }
    }

    public func oauthClients() async throws -> [OAuthClientRecord] {
        try await self.read("list OAuth clients") { db in
            try Row.fetchAll(db, sql: "SELECT \(StoreRecords.clientColumns) FROM oauth_clients ORDER BY created_at, client_id")
                .map { try StoreRecords.client(SQLiteRow($0)) }
        }
    }

    public func createAuthorizationCode(_ code: OAuthCodeRecord) async throws {
        let scopes = try StoreJSON.encode(code.scopes)
        try await self.write("create authorization code") { db in
            try db.execute(
                sql: "INSERT INTO oauth_codes (\(StoreRecords.codeColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                arguments: [
                    code.hash, code.clientID, code.userID, code.redirectURI, code.codeChallenge, scopes, code.resource,
                    code.createdAt.sqliteText, code.expiresAt.sqliteText,
                ]
            )
            // Codes live minutes; a day after expiry (used or not: replays are caught within it) they are swept.
            try db.execute(
                sql: "DELETE FROM oauth_codes WHERE expires_at < ?",
                arguments: [StoreTimestamp.now().addingTimeInterval(-86_400).sqliteText]
            )
        }
    }

    public func authorizationCode(hash: String) async throws -> OAuthCodeRecord? {
        try await self.read("read authorization code") { db in
            try Row.fetchOne(db, sql: "SELECT \(StoreRecords.codeColumns) FROM oauth_codes WHERE code_hash = ?", arguments: [hash])
                .map { try StoreRecords.code(SQLiteRow($0)) }
        }
    }

    public func redeemAuthorizationCode(hash: String, at: Date, grant: OAuthGrant, tokens: [OAuthTokenRecord]) async throws -> Bool {
        let scopes = try StoreJSON.encode(grant.scopes)
        return try await self.write("redeem authorization code") { db in
            try db.execute(
                sql: "UPDATE oauth_codes SET used_at = ?, grant_id = ? WHERE code_hash = ? AND used_at IS NULL",
                arguments: [at.sqliteText, grant.id, hash]
            )
            guard db.changesCount == 1 else { return false }
            try db.execute(
                sql: "INSERT INTO oauth_grants (\(StoreRecords.grantColumns)) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)",
                arguments: [grant.id, grant.userID, grant.clientID, scopes, grant.resource, grant.createdAt.sqliteText]
            )
            try Self.insert(tokens, into: db)
            return true
        }
    }

    public func oauthToken(hash: String) async throws -> OAuthTokenRecord? {
        try await self.read("read OAuth token") { db in
            try Row.fetchOne(db, sql: "SELECT \(StoreRecords.oauthTokenColumns) FROM oauth_tokens WHERE token_hash = ?", arguments: [hash])
                .map { try StoreRecords.oauthToken(SQLiteRow($0)) }
        }
    }

    public func grant(id: String) async throws -> OAuthGrant? {
        try await self.read("read OAuth grant") { db in
            try Row.fetchOne(db, sql: "SELECT \(StoreRecords.grantColumns) FROM oauth_grants WHERE id = ?", arguments: [id])
                .map { try StoreRecords.grant(SQLiteRow($0)) }
        }
    }

    public func grants(userID: String?) async throws -> [OAuthGrant] {
        try await self.read("list OAuth grants") { db in
            let rows: [Row]
            if let userID {
                rows = try Row.fetchAll(
                    db,
                    sql: "SELECT \(StoreRecords.grantColumns) FROM oauth_grants WHERE user_id = ? ORDER BY created_at DESC, id",
                    arguments: [userID]
                )
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT \(StoreRecords.grantColumns) FROM oauth_grants ORDER BY created_at DESC, id")
            }
            return try rows.map { try StoreRecords.grant(SQLiteRow($0)) }
        }
    }

    public func rotateRefreshToken(
        hash: String,
        at: Date,
        successor: Data,
        successorKeyID: String,
        tokens: [OAuthTokenRecord]
    ) async throws -> Bool {
        try await self.write("rotate refresh token") { db in
            try db.execute(
                sql: """
                    UPDATE oauth_tokens SET used_at = ?, successor = ?, successor_key_id = ?
                    WHERE token_hash = ? AND kind = 'refresh' AND used_at IS NULL AND revoked_at IS NULL
                    """,
                arguments: [at.sqliteText, successor, successorKeyID, hash]
            )
            guard db.changesCount == 1 else { return false }
            try Self.insert(tokens, into: db)
            return true
        }
    }

    public func revokeGrant(id: String, at: Date) async throws -> OAuthGrant {
        try await self.write("revoke OAuth grant") { db in
            try db.execute(
                sql: "UPDATE oauth_grants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [at.sqliteText, id]
            )
            // Sealed successor pairs are useless once the family is gone: drop them.
            try db.execute(
                sql: "UPDATE oauth_tokens SET successor = NULL, revoked_at = COALESCE(revoked_at, ?) WHERE grant_id = ?",
                arguments: [at.sqliteText, id]
            )
            guard let row = try Row.fetchOne(db, sql: "SELECT \(StoreRecords.grantColumns) FROM oauth_grants WHERE id = ?", arguments: [id])
            else { throw IdentityRules.grantNotFound(id) }
            return try StoreRecords.grant(SQLiteRow(row))
        }
    }

    public func revokeOAuthToken(hash: String, at: Date) async throws {
        try await self.write("revoke OAuth token") { db in
            try db.execute(
                sql: "UPDATE oauth_tokens SET revoked_at = COALESCE(revoked_at, ?), successor = NULL WHERE token_hash = ?",
                arguments: [at.sqliteText, hash]
            )
        }
    }

    public func touchGrant(id: String, at: Date) async throws {
        try await self.write("touch OAuth grant") { db in
            try db.execute(sql: "UPDATE oauth_grants SET last_used_at = ? WHERE id = ?", arguments: [at.sqliteText, id])
        }
    }

    static func insert(_ tokens: [OAuthTokenRecord], into db: Database) throws {
        for token in tokens {
            try db.execute(
                sql: """
                    INSERT INTO oauth_tokens (token_hash, kind, grant_id, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [token.hash, token.kind.rawValue, token.grantID, token.createdAt.sqliteText, token.expiresAt.sqliteText]
            )
        }
    }
}
