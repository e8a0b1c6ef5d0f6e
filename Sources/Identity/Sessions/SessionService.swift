import AnalyticsCore
import Foundation
import MetadataStore

/// Browser sign-in sessions (the login and consent pages; later the web UI). The cookie holds a
/// random value; the store keeps its SHA-256 and a CSRF token bound to the session.
public struct SessionService: Sendable {
    let store: any IdentityStore
    let ttl: TimeInterval

    public static let cookieName = "mcpa_session"

    public init(store: any IdentityStore, ttl: TimeInterval) {
        self.store = store
        self.ttl = ttl
    }

    /// A signed-in session and its user.
    public struct Active: Sendable {
        public var session: UserSession
        public var user: User
    }

    /// Starts a session for `user`; returns the cookie value (shown to the browser only) and the session.
    public func start(for user: User) async throws -> (cookie: String, session: UserSession) {
        let cookie = OAuthSecrets.generate(prefix: OAuthSecrets.sessionPrefix)
        let now = Date()
        let session = UserSession(
            hash: TokenIssuer.hash(cookie),
            userID: user.id,
            csrfToken: OAuthSecrets.randomBase64URL(bytes: 24),
            createdAt: now,
            expiresAt: now.addingTimeInterval(self.ttl)
        )
        try await self.store.createSession(session)
        return (cookie, session)
    }

    /// The live session behind a cookie value: `nil` when unknown, expired, or its user is disabled.
    public func resolve(cookie: String?) async throws -> Active? {
        guard let cookie, cookie.hasPrefix(OAuthSecrets.sessionPrefix) else { return nil }
        guard let session = try await self.store.session(hash: TokenIssuer.hash(cookie)), session.expiresAt > Date() else { return nil }
        guard let user = try await self.store.user(id: session.userID), user.isActive else { return nil }
        return Active(session: session, user: user)
    }

    public func end(cookie: String?) async throws {
        guard let cookie else { return }
        try await self.store.deleteSession(hash: TokenIssuer.hash(cookie))
    }

    /// Compares a posted CSRF token with the session's in constant time.
    public static func csrfMatches(_ posted: String?, _ expected: String) -> Bool {
        guard let posted else { return false }
        return OAuthSecrets.constantTimeEquals(posted, expected)
    }

    /// A fresh random value for the login form's double-submit CSRF cookie.
    public static func newCSRFToken() -> String {
        OAuthSecrets.randomBase64URL(bytes: 24)
    }
}
