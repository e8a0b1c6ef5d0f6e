import AnalyticsCore
import Foundation
import MetadataStore

/// The token endpoint: code exchange and refresh-token rotation.
extension AuthorizationServer {
    /// Client credentials as sent: the `client_id` (form or HTTP Basic) and a secret if any.
    public struct ClientCredentials: Sendable {
        public var clientID: String?
        public var secret: String?

        public init(clientID: String?, secret: String?) {
            self.clientID = clientID
            self.secret = secret
        }
    }

    /// The token response of RFC 6749 §5.1.
    public struct TokenPair: Sendable, Codable, Equatable {
        public var accessToken: String
        public var refreshToken: String
        public var accessExpiresAt: Date
        public var scopes: [String]

        public func body(now: Date = Date()) -> JSONValue {
            [
                "access_token": .string(self.accessToken),
                "token_type": "Bearer",
                "expires_in": .int(Int64(max(0, self.accessExpiresAt.timeIntervalSince(now).rounded()))),
                "refresh_token": .string(self.refreshToken),
                "scope": .string(self.scopes.joined(separator: " ")),
            ]
        }
    }

    /// The client the request authenticates as: unknown ids and wrong secrets are `invalid_client`
    /// (HTTP 401), which tells clients such as Claude to register again.
    public func authenticateClient(_ credentials: ClientCredentials) async throws(OAuthError) -> OAuthClientRecord {
        guard let clientID = credentials.clientID, !clientID.isEmpty else {
            throw OAuthError.invalidClient("The request does not name its client_id.")
        }
        let client = try await self.clients.client(id: clientID)
        if let expected = client.secretHash {
            guard let secret = credentials.secret, OAuthSecrets.constantTimeEquals(TokenIssuer.hash(secret), expected) else {
                throw OAuthError.invalidClient("The client secret is missing or wrong.")
            }
        }
        return client
    }

    /// `grant_type=authorization_code`.
    public func exchangeCode(
        _ form: [String: String],
        client: OAuthClientRecord,
        endpoints: OAuthEndpoints
    ) async throws(OAuthError)
        -> TokenPair
    {
        guard let code = form["code"], !code.isEmpty else { throw .invalidRequest("The request has no code.") }
        guard let verifier = form["code_verifier"], !verifier.isEmpty else { throw .invalidRequest("PKCE: code_verifier is required.") }
        guard let redirectURI = form["redirect_uri"] else { throw .invalidRequest("The request has no redirect_uri.") }
        let hash = TokenIssuer.hash(code)
        let record = try await self.guarded { try await self.store.authorizationCode(hash: hash) }
        guard let record else { throw .invalidGrant("The authorization code is unknown.") }
        if record.usedAt != nil {
            await self.revokeReplayed(record)
            throw .invalidGrant("The authorization code was already used; the tokens it issued are revoked.")
        }
        guard record.expiresAt > Date() else { throw .invalidGrant("The authorization code has expired.") }
        guard record.clientID == client.id else { throw .invalidGrant("The authorization code was issued to another client.") }
        guard record.redirectURI == redirectURI else { throw .invalidGrant("The redirect_uri differs from the authorization request's.") }
        guard OAuthSecrets.isValidVerifier(verifier), OAuthSecrets.verifies(verifier: verifier, challenge: record.codeChallenge) else {
            throw .invalidGrant("The code_verifier does not match the code_challenge.")
        }
        if let resource = form["resource"], !endpoints.isResource(resource) || !endpoints.isResource(record.resource) {
            throw .invalidTarget("The resource must be \(endpoints.resource).")
        }
        let user = try await self.guarded { try await self.store.user(id: record.userID) }
        guard let user, user.isActive else { throw .invalidGrant("The user who authorized this code is disabled.") }
        let now = Date()
        let grant = OAuthGrant(
            id: UUID().uuidString.lowercased(),
            userID: user.id,
            clientID: client.id,
            scopes: record.scopes,
            resource: record.resource,
            createdAt: now
        )
        let (pair, tokens) = self.newPair(grantID: grant.id, scopes: grant.scopes, now: now)
        let redeemed = try await self.guarded {
            try await self.store.redeemAuthorizationCode(hash: hash, at: now, grant: grant, tokens: tokens)
        }
        guard redeemed else {
            if let raced = try? await self.store.authorizationCode(hash: hash) { await self.revokeReplayed(raced) }
            throw .invalidGrant("The authorization code was already used; the tokens it issued are revoked.")
        }
        self.logger.info("OAuth grant issued", metadata: ["mcpa.oauth.grant": "\(grant.id)", "mcpa.user": "\(user.id)"])
        return pair
    }

    /// `grant_type=refresh_token`: rotates the refresh token. A token reused within the grace gets
    /// the pair it was already exchanged for; reused later, it revokes its whole family.
    public func refresh(
        _ form: [String: String],
        client: OAuthClientRecord,
        endpoints: OAuthEndpoints
    ) async throws(OAuthError)
        -> TokenPair
    {
        guard let token = form["refresh_token"], !token.isEmpty else { throw .invalidRequest("The request has no refresh_token.") }
        let hash = TokenIssuer.hash(token)
        let record = try await self.guarded { try await self.store.oauthToken(hash: hash) }
        guard let record, record.kind == .refresh else { throw .invalidGrant("The refresh token is unknown.") }
        let grant = try await self.guarded { try await self.store.grant(id: record.grantID) }
        guard let grant, grant.clientID == client.id else { throw .invalidGrant("The refresh token was issued to another client.") }
        guard !grant.isRevoked, record.revokedAt == nil else { throw .invalidGrant("The refresh token has been revoked.") }
        if let resource = form["resource"], !endpoints.isResource(resource) {
            throw .invalidTarget("The resource must be \(endpoints.resource).")
        }
        if let scope = form["scope"] {
            let asked = Set(scope.split(separator: " ").map(String.init))
            guard asked.isSubset(of: Set(grant.scopes)) else { throw .invalidScope("A refresh cannot widen the granted scopes.") }
        }
        if record.usedAt != nil { return try await self.reuse(record, grant: grant) }
        guard record.expiresAt > Date() else { throw .invalidGrant("The refresh token has expired.") }
        let user = try await self.guarded { try await self.store.user(id: grant.userID) }
        guard let user, user.isActive else { throw .invalidGrant("The user of this grant is disabled.") }
        let now = Date()
        let (pair, tokens) = self.newPair(grantID: grant.id, scopes: grant.scopes, now: now)
        let sealed = try await self.guarded { try self.vault.seal(String(decoding: try JSONEncoder().encode(pair), as: UTF8.self)) }
        let rotated = try await self.guarded {
            try await self.store.rotateRefreshToken(hash: hash, at: now, successor: sealed.combined, successorKeyID: sealed.keyID, tokens: tokens)
        }
        guard rotated else {
            let raced = try await self.guarded { try await self.store.oauthToken(hash: hash) }
            guard let raced else { throw .invalidGrant("The refresh token is unknown.") }
            return try await self.reuse(raced, grant: grant)
        }
        return pair
    }

    /// A rotated refresh token presented again: within the grace, the same successor pair; after it
    /// (or without a stored successor), the family is revoked.
    func reuse(_ record: OAuthTokenRecord, grant: OAuthGrant) async throws(OAuthError) -> TokenPair {
        if let usedAt = record.usedAt, Date().timeIntervalSince(usedAt) <= self.settings.refreshReuseGrace,
            let successor = record.successor, let keyID = record.successorKeyID,
            let text = try? self.vault.open(SealedSecret(keyID: keyID, combined: successor)),
            let pair = try? JSONDecoder().decode(TokenPair.self, from: Data(text.utf8))
        {
            return pair
        }
        _ = try? await self.store.revokeGrant(id: grant.id, at: Date())
        await self.authenticator.invalidate()
        self.logger.warning("refresh token reused after rotation: grant revoked", metadata: ["mcpa.oauth.grant": "\(grant.id)"])
        throw .invalidGrant("The refresh token was already used; its grant is revoked.")
    }

    func newPair(grantID: String, scopes: [String], now: Date) -> (TokenPair, [OAuthTokenRecord]) {
        let access = OAuthSecrets.generate(prefix: OAuthSecrets.accessPrefix)
        let refresh = OAuthSecrets.generate(prefix: OAuthSecrets.refreshPrefix)
        let accessExpiry = now.addingTimeInterval(self.settings.accessTokenTTL)
        let records = [
            OAuthTokenRecord(hash: TokenIssuer.hash(access), kind: .access, grantID: grantID, createdAt: now, expiresAt: accessExpiry),
            OAuthTokenRecord(
                hash: TokenIssuer.hash(refresh),
                kind: .refresh,
                grantID: grantID,
                createdAt: now,
                expiresAt: now.addingTimeInterval(self.settings.refreshTokenTTL)
            ),
        ]
        return (TokenPair(accessToken: access, refreshToken: refresh, accessExpiresAt: accessExpiry, scopes: scopes), records)
    }

    /// A replayed code revokes what it issued (RFC 6749 §4.1.2).
    func revokeReplayed(_ code: OAuthCodeRecord) async {
        guard let grantID = code.grantID else { return }
        _ = try? await self.store.revokeGrant(id: grantID, at: Date())
        await self.authenticator.invalidate()
        self.logger.warning("authorization code replayed: grant revoked", metadata: ["mcpa.oauth.grant": "\(grantID)"])
    }

    /// Runs a store call; a store failure is logged and becomes `server_error`.
    func guarded<T: Sendable>(_ body: () async throws -> T) async throws(OAuthError) -> T {
        do {
            return try await body()
        } catch {
            self.logger.error("OAuth store operation failed", metadata: ["mcpa.error.type": "\(type(of: error))"])
            throw OAuthError.serverError()
        }
    }
}
