import AnalyticsCore
import Foundation
import PostgresNIO

extension PostgresMetadataStore {
    public func saveOAuthClient(_ client: OAuthClientRecord) async throws {
        let redirects = try StoreJSON.encode(client.redirectURIs)
        try await self.transaction("save OAuth client") { connection in
            // `created_at` is not replaced: a re-fetched metadata document keeps its first-seen time.
            _ = try await connection.query(
                """
                INSERT INTO oauth_clients (\(unescaped: StoreRecords.clientColumns))
                VALUES (\(client.id), \(client.kind.rawValue), \(client.name), \(redirects), \(client.tokenEndpointAuthMethod),
                    \(client.secretHash), \(client.clientURI), \(StoreTimestamp.normalize(client.createdAt)),
                    \(StoreTimestamp.normalize(client.fetchedAt)))
                ON CONFLICT (client_id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
                    redirect_uris = excluded.redirect_uris, token_endpoint_auth_method = excluded.token_endpoint_auth_method,
                    secret_hash = excluded.secret_hash, client_uri = excluded.client_uri, fetched_at = excluded.fetched_at
                """,
                logger: self.logger
            )
        }
    }

    public func oauthClient(id: String) async throws -> OAuthClientRecord? {
        try await self.connection("read OAuth client") { connection in
            try await connection.firstRow(
                "SELECT \(unescaped: StoreRecords.clientColumns) FROM oauth_clients WHERE client_id = \(id)",
                logger: self.logger
            ).map { try StoreRecords.client($0) }
        }
    }

    public func oauthClients() async throws -> [OAuthClientRecord] {
        try await self.connection("list OAuth clients") { connection in
            try await connection.rows(
                "SELECT \(unescaped: StoreRecords.clientColumns) FROM oauth_clients ORDER BY created_at, client_id",
                logger: self.logger
            ).map { try StoreRecords.client($0) }
        }
    }

    public func createAuthorizationCode(_ code: OAuthCodeRecord) async throws {
        let scopes = try StoreJSON.encode(code.scopes)
        try await self.transaction("create authorization code") { connection in
            try await connection.query(
                """
                INSERT INTO oauth_codes (\(unescaped: StoreRecords.codeColumns))
                VALUES (\(code.hash), \(code.clientID), \(code.userID), \(code.redirectURI), \(code.codeChallenge), \(scopes),
                    \(code.resource), \(StoreTimestamp.normalize(code.createdAt)), \(StoreTimestamp.normalize(code.expiresAt)), NULL, NULL)
                """,
                logger: self.logger
            )
            // Codes live minutes; a day after expiry (used or not: replays are caught within it) they are swept.
            // Used codes stay: their grant id is what lets a replay revoke the grant.
            try await connection.query(
                "DELETE FROM oauth_codes WHERE expires_at < \(StoreTimestamp.now().addingTimeInterval(-86_400))",
                logger: self.logger
            )
        }
    }

    public func authorizationCode(hash: String) async throws -> OAuthCodeRecord? {
        try await self.connection("read authorization code") { connection in
            try await connection.firstRow(
                "SELECT \(unescaped: StoreRecords.codeColumns) FROM oauth_codes WHERE code_hash = \(hash)",
                logger: self.logger
            ).map { try StoreRecords.code($0) }
        }
    }

    public func redeemAuthorizationCode(hash: String, at: Date, grant: OAuthGrant, tokens: [OAuthTokenRecord]) async throws -> Bool {
        let scopes = try StoreJSON.encode(grant.scopes)
        return try await self.transaction("redeem authorization code") { connection in
            // A concurrent redeem of the same code waits on the row lock, then sees `used_at` set and
            // updates nothing: exactly one caller gets the grant.
            let claimed = try await connection.firstRow(
                """
                UPDATE oauth_codes SET used_at = \(StoreTimestamp.normalize(at)), grant_id = \(grant.id)
                WHERE code_hash = \(hash) AND used_at IS NULL
                RETURNING code_hash
                """,
                logger: self.logger
            )
            guard claimed != nil else { return false }
            try await connection.query(
                """
                INSERT INTO oauth_grants (\(unescaped: StoreRecords.grantColumns))
                VALUES (\(grant.id), \(grant.userID), \(grant.clientID), \(scopes), \(grant.resource),
                    \(StoreTimestamp.normalize(grant.createdAt)), NULL, NULL)
                """,
                logger: self.logger
            )
            try await self.insert(tokens, on: connection)
            return true
        }
    }

    public func oauthToken(hash: String) async throws -> OAuthTokenRecord? {
        try await self.connection("read OAuth token") { connection in
            try await connection.firstRow(
                "SELECT \(unescaped: StoreRecords.oauthTokenColumns) FROM oauth_tokens WHERE token_hash = \(hash)",
                logger: self.logger
            ).map { try StoreRecords.oauthToken($0) }
        }
    }

    public func grant(id: String) async throws -> OAuthGrant? {
        try await self.connection("read OAuth grant") { connection in
            try await connection.firstRow(
                "SELECT \(unescaped: StoreRecords.grantColumns) FROM oauth_grants WHERE id = \(id)",
                logger: self.logger
            ).map { try StoreRecords.grant($0) }
        }
    }

    public func grants(userID: String?) async throws -> [OAuthGrant] {
        try await self.connection("list OAuth grants") { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: StoreRecords.grantColumns) FROM oauth_grants
                WHERE (\(userID)::text IS NULL OR user_id = \(userID))
                ORDER BY created_at DESC, id
                """,
                logger: self.logger
            ).map { try StoreRecords.grant($0) }
        }
    }

    public func rotateRefreshToken(
        hash: String,
        at: Date,
        successor: Data,
        successorKeyID: String,
        tokens: [OAuthTokenRecord]
    ) async throws -> Bool {
        try await self.transaction("rotate refresh token") { connection in
            // As with codes, the row lock makes concurrent rotations of one token have one winner.
            let rotated = try await connection.firstRow(
                """
                UPDATE oauth_tokens SET used_at = \(StoreTimestamp.normalize(at)), successor = \(successor),
                    successor_key_id = \(successorKeyID)
                WHERE token_hash = \(hash) AND kind = 'refresh' AND used_at IS NULL AND revoked_at IS NULL
                RETURNING token_hash
                """,
                logger: self.logger
            )
            guard rotated != nil else { return false }
            try await self.insert(tokens, on: connection)
            return true
        }
    }

    public func revokeGrant(id: String, at: Date) async throws -> OAuthGrant {
        let at = StoreTimestamp.normalize(at)
        return try await self.transaction("revoke OAuth grant") { connection in
            guard
                let row = try await connection.firstRow(
                    """
                    UPDATE oauth_grants SET revoked_at = COALESCE(revoked_at, \(at)) WHERE id = \(id)
                    RETURNING \(unescaped: StoreRecords.grantColumns)
                    """,
                    logger: self.logger
                )
            else { throw IdentityRules.grantNotFound(id) }
            // Sealed successor pairs are useless once the family is gone: drop them.
            try await connection.query(
                "UPDATE oauth_tokens SET successor = NULL, revoked_at = COALESCE(revoked_at, \(at)) WHERE grant_id = \(id)",
                logger: self.logger
            )
            return try StoreRecords.grant(row)
        }
    }

    public func revokeOAuthToken(hash: String, at: Date) async throws {
        try await self.transaction("revoke OAuth token") { connection in
            _ = try await connection.query(
                """
                UPDATE oauth_tokens SET revoked_at = COALESCE(revoked_at, \(StoreTimestamp.normalize(at))), successor = NULL
                WHERE token_hash = \(hash)
                """,
                logger: self.logger
            )
        }
    }

    public func touchGrant(id: String, at: Date) async throws {
        try await self.transaction("touch OAuth grant") { connection in
            _ = try await connection.query(
                "UPDATE oauth_grants SET last_used_at = \(StoreTimestamp.normalize(at)) WHERE id = \(id)",
                logger: self.logger
            )
        }
    }

    /// Stores newly issued tokens (never used, revoked or rotated yet).
    func insert(_ tokens: [OAuthTokenRecord], on connection: PostgresConnection) async throws {
        for token in tokens {
            try await connection.query(
                """
                INSERT INTO oauth_tokens (token_hash, kind, grant_id, created_at, expires_at)
                VALUES (\(token.hash), \(token.kind.rawValue), \(token.grantID), \(StoreTimestamp.normalize(token.createdAt)),
                    \(StoreTimestamp.normalize(token.expiresAt)))
                """,
                logger: self.logger
            )
        }
    }
}
