import AnalyticsCore
import Foundation
import Logging
import MetadataStore

/// The embedded OAuth 2.1 authorization server's protocol logic (MCP authorization 2025-11-25):
/// authorization requests with PKCE S256, single-use codes, token issuance with exact audiences,
/// rotating refresh tokens with a short reuse grace, and revocation. HTTP lives in the server module;
/// this type speaks values.
public struct AuthorizationServer: Sendable {
    let store: any IdentityStore
    let vault: SecretVault
    public let settings: OAuthSettings
    public let clients: OAuthClientRegistry
    /// Told about revocations so cached lookups end at once.
    let authenticator: CredentialAuthenticator
    let logger: Logger

    public init(
        store: any IdentityStore,
        vault: SecretVault,
        settings: OAuthSettings,
        clients: OAuthClientRegistry,
        authenticator: CredentialAuthenticator,
        logger: Logger
    ) {
        self.store = store
        self.vault = vault
        self.settings = settings
        self.clients = clients
        self.authenticator = authenticator
        self.logger = logger
    }

    // MARK: Authorization requests

    /// Validates `/oauth/authorize` parameters. A bad client or redirect URI is an error page (never a
    /// redirect to an unverified URI); anything else redirects back with `error`, `state` and `iss`.
    public func validate(
        _ query: [String: String],
        endpoints: OAuthEndpoints
    ) async throws(AuthorizationFailure)
        -> AuthorizationRequest
    {
        guard let clientID = query["client_id"], !clientID.isEmpty else {
            throw .page(.invalidRequest("The request has no client_id."))
        }
        let client: OAuthClientRecord
        do {
            client = try await self.clients.client(id: clientID)
        } catch {
            throw .page(error)
        }
        let redirectURI: String
        if let asked = query["redirect_uri"] {
            guard RedirectAllowlist.redirect(asked, isAmong: client.redirectURIs) else {
                throw .page(.invalidRequest("The redirect_uri is not registered for this client."))
            }
            redirectURI = asked
        } else if client.redirectURIs.count == 1 {
            redirectURI = client.redirectURIs[0]
        } else {
            throw .page(.invalidRequest("The request has no redirect_uri."))
        }
        func fail(_ error: OAuthError) -> AuthorizationFailure {
            var parameters = [("error", error.error), ("error_description", error.description)]
            if let state = query["state"], !state.isEmpty { parameters.append(("state", state)) }
            parameters.append(("iss", endpoints.issuer))
            return .redirect(AuthorizationRequest.redirect(redirectURI, with: parameters))
        }
        guard query["response_type"] == "code" else {
            throw fail(OAuthError("unsupported_response_type", "Only response_type=code is supported."))
        }
        guard let state = query["state"], !state.isEmpty, state.count <= 1_024 else {
            throw fail(.invalidRequest("The request must carry a state parameter."))
        }
        guard let challenge = query["code_challenge"], !challenge.isEmpty else {
            throw fail(.invalidRequest("PKCE is required: send code_challenge with code_challenge_method=S256."))
        }
        guard query["code_challenge_method"] == "S256" else {
            throw fail(.invalidRequest("Only the S256 code_challenge_method is supported."))
        }
        guard OAuthSecrets.isValidChallenge(challenge) else {
            throw fail(.invalidRequest("The code_challenge is not a base64url S256 challenge."))
        }
        if let resource = query["resource"], !endpoints.isResource(resource) {
            throw fail(.invalidTarget("The resource must be \(endpoints.resource)."))
        }
        let scopes: [String]
        do {
            scopes = try OAuthClientRegistry.scopes(query["scope"])
        } catch {
            throw fail(error)
        }
        return AuthorizationRequest(
            client: client,
            redirectURI: redirectURI,
            state: state,
            codeChallenge: challenge,
            scopes: scopes,
            resource: endpoints.resource
        )
    }

    /// Issues a code for `user` (who consented) and returns where to send the browser.
    public func approve(_ request: AuthorizationRequest, user: User, endpoints: OAuthEndpoints) async throws -> String {
        let code = OAuthSecrets.generate(prefix: OAuthSecrets.codePrefix)
        let now = Date()
        try await self.store.createAuthorizationCode(
            OAuthCodeRecord(
                hash: TokenIssuer.hash(code),
                clientID: request.client.id,
                userID: user.id,
                redirectURI: request.redirectURI,
                codeChallenge: request.codeChallenge,
                scopes: request.scopes,
                resource: request.resource,
                createdAt: now,
                expiresAt: now.addingTimeInterval(self.settings.codeTTL)
            )
        )
        self.logger.info("authorization code issued", metadata: ["mcpa.user": "\(user.id)", "mcpa.oauth.client": "\(request.client.id)"])
        return AuthorizationRequest.redirect(
            request.redirectURI,
            with: [("code", code), ("state", request.state), ("iss", endpoints.issuer)]
        )
    }

    /// Where to send the browser when the user declines.
    public func deny(_ request: AuthorizationRequest, endpoints: OAuthEndpoints) -> String {
        AuthorizationRequest.redirect(
            request.redirectURI,
            with: [
                ("error", "access_denied"), ("error_description", "The user declined the request."), ("state", request.state),
                ("iss", endpoints.issuer),
            ]
        )
    }

    // MARK: Revocation

    /// RFC 7009: revokes the token if it belongs to `client`; unknown tokens are not an error.
    /// Revoking a refresh token revokes its whole grant.
    public func revoke(token: String, client: OAuthClientRecord) async throws {
        let hash = TokenIssuer.hash(token)
        guard let record = try await self.store.oauthToken(hash: hash), let grant = try await self.store.grant(id: record.grantID),
            grant.clientID == client.id
        else { return }
        if record.kind == .refresh {
            try await self.store.revokeGrant(id: grant.id, at: Date())
        } else {
            try await self.store.revokeOAuthToken(hash: hash, at: Date())
        }
        await self.authenticator.invalidate()
    }

    /// Revokes a grant on behalf of `principal`: their own, or any for an admin. Another user's
    /// grant is `GRANT_NOT_FOUND`, so ids of other people's grants do not leak.
    public func revokeGrant(id: String, by principal: Principal) async throws -> OAuthGrant {
        guard let grant = try await self.store.grant(id: id), grant.userID == principal.id || principal.role == .admin else {
            throw AnalyticsError(.grantNotFound, "No OAuth grant '\(id)'.", hint: "List your grants with GET /api/oauth/grants.")
        }
        let revoked = try await self.store.revokeGrant(id: grant.id, at: Date())
        await self.authenticator.invalidate()
        self.logger.info("OAuth grant revoked", metadata: ["mcpa.oauth.grant": "\(id)", "mcpa.principal": "\(principal.id)"])
        return revoked
    }

    /// The grants `principal` may see: their own, or everyone's for an admin.
    public func grants(for principal: Principal) async throws -> [OAuthGrant] {
        try await self.store.grants(userID: principal.role == .admin ? nil : principal.id)
    }
}
