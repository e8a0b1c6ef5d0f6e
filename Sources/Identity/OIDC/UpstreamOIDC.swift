import AnalyticsCore
import AsyncHTTPClient
import Foundation
import JWTKit
import Logging
import MetadataStore
import NIOCore

/// Sign-in through an upstream OpenID Connect provider: authorization code flow with PKCE, state
/// and nonce; the ID token is verified against the provider's JWKS (signature, issuer, audience,
/// expiry, nonce); `(issuer, subject)` maps to a local user, created as a viewer on first sign-in
/// only for allowed email domains.
///
/// The in-flight login (state, nonce, verifier, where to return) travels in a cookie sealed with the
/// secret keyring, so any replica can finish a login another started.
public struct UpstreamOIDC: Sendable {
    public let settings: UpstreamOIDCSettings
    let store: any IdentityStore
    let vault: SecretVault
    let logger: Logger

    public static let cookieName = "mcpa_oidc"
    static let loginLifetime: TimeInterval = 600

    public init(settings: UpstreamOIDCSettings, store: any IdentityStore, vault: SecretVault, logger: Logger) {
        self.settings = settings
        self.store = store
        self.vault = vault
        self.logger = logger
    }

    /// A login in flight, sealed into the cookie.
    struct Pending: Codable {
        var state: String
        var nonce: String
        var verifier: String
        var returnTo: String
        var redirectURI: String
        var expires: Date
    }

    /// The provider's endpoints (OpenID Connect Discovery).
    struct Discovery: Decodable {
        var issuer: String
        var authorizationEndpoint: String
        var tokenEndpoint: String
        var jwksURI: String

        enum CodingKeys: String, CodingKey {
            case issuer
            case authorizationEndpoint = "authorization_endpoint"
            case tokenEndpoint = "token_endpoint"
            case jwksURI = "jwks_uri"
        }
    }

    /// Where to send the browser to sign in upstream, and the sealed cookie that remembers the login.
    public func start(returnTo: String, redirectURI: String) async throws -> (location: String, cookie: String) {
        let discovery = try await self.discover()
        let pending = Pending(
            state: OAuthSecrets.randomBase64URL(bytes: 24),
            nonce: OAuthSecrets.randomBase64URL(bytes: 24),
            verifier: OAuthSecrets.randomBase64URL(bytes: 48),
            returnTo: returnTo,
            redirectURI: redirectURI,
            expires: Date().addingTimeInterval(Self.loginLifetime)
        )
        let challenge = OAuthSecrets.base64URL(Data(SHA256Digest.of(pending.verifier)))
        let location = AuthorizationRequest.redirect(
            discovery.authorizationEndpoint,
            with: [
                ("response_type", "code"), ("client_id", self.settings.clientID), ("redirect_uri", redirectURI),
                ("scope", "openid email profile"), ("state", pending.state), ("nonce", pending.nonce),
                ("code_challenge", challenge), ("code_challenge_method", "S256"),
            ]
        )
        let sealed = try self.vault.seal(String(decoding: try JSONEncoder().encode(pending), as: UTF8.self))
        let cookie = sealed.keyID + "." + OAuthSecrets.base64URL(sealed.combined)
        return (location, cookie)
    }

    /// Finishes a login from the provider's callback: the local user, and where to return.
    public func finish(query: [String: String], cookie: String?) async throws -> (user: User, returnTo: String) {
        guard let pending = self.open(cookie), pending.expires > Date() else {
            throw Self.failure("The sign-in took too long or was started in another browser. Start again.")
        }
        if let error = query["error"] { throw Self.failure("The provider refused the sign-in (\(error)).") }
        guard let state = query["state"], OAuthSecrets.constantTimeEquals(state, pending.state) else {
            throw Self.failure("The sign-in response does not match the request (state).")
        }
        guard let code = query["code"], !code.isEmpty else { throw Self.failure("The provider sent no code.") }
        let discovery = try await self.discover()
        let idToken = try await self.exchange(code: code, pending: pending, discovery: discovery)
        let claims = try await self.verify(idToken, nonce: pending.nonce, discovery: discovery)
        let user = try await self.user(for: claims)
        return (user, pending.returnTo)
    }

    func open(_ cookie: String?) -> Pending? {
        guard let cookie, let dot = cookie.firstIndex(of: "."),
            let combined = Data(base64URL: String(cookie[cookie.index(after: dot)...])),
            let text = try? self.vault.open(SealedSecret(keyID: String(cookie[..<dot]), combined: combined))
        else { return nil }
        return try? JSONDecoder().decode(Pending.self, from: Data(text.utf8))
    }

    func discover() async throws -> Discovery {
        let body = try await self.get(self.settings.discoveryURL)
        guard let discovery = try? JSONDecoder().decode(Discovery.self, from: body) else {
            throw Self.failure("The provider's discovery document is not usable.")
        }
        guard discovery.issuer == self.settings.issuer else {
            throw Self.failure("The provider's discovery document names another issuer.")
        }
        return discovery
    }

    func exchange(code: String, pending: Pending, discovery: Discovery) async throws -> String {
        var form = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", pending.redirectURI),
            ("client_id", self.settings.clientID), ("code_verifier", pending.verifier),
        ]
        if let secret = self.settings.clientSecret { form.append(("client_secret", secret)) }
        var request = HTTPClientRequest(url: discovery.tokenEndpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        let encoded = form.map { "\(AuthorizationRequest.encode($0.0))=\(AuthorizationRequest.encode($0.1))" }.joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: encoded))
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(10), logger: self.logger)
            body = try await response.body.collect(upTo: 256 * 1024)
        } catch {
            self.logger.notice("upstream token request failed", metadata: ["mcpa.error.type": "\(type(of: error))"])
            throw Self.failure("The provider could not be reached.")
        }
        guard response.status == .ok, let object = try? JSONValue.parse(Data(buffer: body)).objectValue,
            let idToken = object["id_token"]?.stringValue
        else {
            self.logger.notice("upstream token request refused", metadata: ["mcpa.http.status": "\(response.status.code)"])
            throw Self.failure("The provider refused to complete the sign-in.")
        }
        return idToken
    }

    func verify(_ idToken: String, nonce: String, discovery: Discovery) async throws -> IDTokenClaims {
        let jwks = try await self.get(discovery.jwksURI)
        // jwt-kit falls back to a default key for an unknown `kid`; require the token to name a
        // published key instead.
        guard let kid = Self.keyID(ofToken: idToken), Self.keyIDs(ofJWKS: jwks).contains(kid) else {
            throw Self.failure("The provider's ID token did not verify (unknown signing key).")
        }
        let keys = JWTKeyCollection()
        let claims: IDTokenClaims
        do {
            try await keys.add(jwksJSON: String(decoding: jwks, as: UTF8.self))
            claims = try await keys.verify(idToken, as: IDTokenClaims.self)
        } catch {
            self.logger.notice("upstream ID token refused", metadata: ["mcpa.error": "\(error)"])
            throw Self.failure("The provider's ID token did not verify.")
        }
        guard claims.iss.value == self.settings.issuer else { throw Self.failure("The ID token names another issuer.") }
        guard claims.aud.value.contains(self.settings.clientID) else { throw Self.failure("The ID token is for another client.") }
        guard let tokenNonce = claims.nonce, OAuthSecrets.constantTimeEquals(tokenNonce, nonce) else {
            throw Self.failure("The ID token does not answer this sign-in (nonce).")
        }
        return claims
    }

    /// The `kid` of a compact JWS header.
    static func keyID(ofToken token: String) -> String? {
        guard let header = token.split(separator: ".", omittingEmptySubsequences: false).first,
            let data = Data(base64URL: String(header)), let object = try? JSONValue.parse(data).objectValue
        else { return nil }
        return object["kid"]?.stringValue
    }

    static func keyIDs(ofJWKS data: Data) -> Set<String> {
        let keys = (try? JSONValue.parse(data))?["keys"]?.arrayValue ?? []
        return Set(keys.compactMap { $0["kid"]?.stringValue })
    }

    /// The linked user; else, for a verified email of an allowed domain, the user with that email
    /// (linked now) or a new viewer.
    func user(for claims: IDTokenClaims) async throws -> User {
        let issuer = self.settings.issuer
        if let id = try await self.store.userID(issuer: issuer, subject: claims.sub.value), let user = try await self.store.user(id: id) {
            guard user.isActive else { throw Self.failure("This account is disabled.") }
            return try await self.store.updateUser(id: user.id) { $0.lastLoginAt = Date() }
        }
        guard let email = claims.email?.lowercased(), claims.emailVerified?.value == true,
            let domain = email.split(separator: "@").last.map(String.init), self.settings.allowedDomains.contains(domain)
        else {
            throw Self.failure("This account may not sign in here. Ask an administrator to add you.")
        }
        let user: User
        if let existing = try await self.store.user(email: email) {
            guard existing.isActive else { throw Self.failure("This account is disabled.") }
            user = existing
        } else {
            user = try await self.store.createUser(
                User(id: UUID().uuidString.lowercased(), email: email, displayName: claims.name ?? email, role: .viewer, createdAt: Date())
            )
            self.logger.info("user created on first upstream sign-in", metadata: ["mcpa.user": "\(user.id)"])
        }
        try await self.store.linkIdentity(issuer: issuer, subject: claims.sub.value, userID: user.id)
        return try await self.store.updateUser(id: user.id) { $0.lastLoginAt = Date() }
    }

    func get(_ url: String) async throws -> Data {
        do {
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "Accept", value: "application/json")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10), logger: self.logger)
            guard response.status == .ok else { throw Self.failure("The provider answered HTTP \(response.status.code).") }
            return Data(buffer: try await response.body.collect(upTo: 512 * 1024))
        } catch let error as AnalyticsError {
            throw error
        } catch {
            self.logger.notice("upstream request failed", metadata: ["mcpa.error.type": "\(type(of: error))"])
            throw Self.failure("The provider could not be reached.")
        }
    }

    static func failure(_ message: String) -> AnalyticsError {
        AnalyticsError(.unauthenticated, message, hint: "Try signing in again, or use your local password.")
    }
}

extension Data {
    /// Decodes unpadded base64url.
    init?(base64URL text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self.init(base64Encoded: base64)
    }
}
