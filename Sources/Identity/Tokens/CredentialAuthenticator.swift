import AnalyticsCore
import Foundation
import MetadataStore

/// Resolves bearer credentials — API tokens and OAuth access tokens — to principals, with a short
/// cache so a busy client does not cost store reads per request.
///
/// The cache holds hashes, never tokens. Revocations made through this process invalidate it at once;
/// a revocation, disabled user or role change from another process takes effect within `ttl`.
public actor CredentialAuthenticator {
    let store: any TokenStore & IdentityStore
    let ttl: TimeInterval
    var cache: [String: Entry] = [:]
    var lastTouched: [String: Date] = [:]

    struct Entry {
        var principal: Principal?
        /// The OAuth access token's audience and expiry; `nil` for API tokens.
        var audience: String?
        var expiresAt: Date?
        var cachedUntil: Date
    }

    public init(store: any TokenStore & IdentityStore, ttl: TimeInterval = 5) {
        self.store = store
        self.ttl = ttl
    }

    /// The principal for a bearer `token`.
    ///
    /// - Parameter resource: the endpoints of the resource being called when it accepts OAuth access
    ///   tokens (`/mcp`); `nil` where only API tokens are accepted (`/api`).
    /// - Throws: `UNAUTHENTICATED` for an unknown, revoked or expired token, a disabled user, or an
    ///   access token minted for another audience.
    public func authenticate(token: String, resource: OAuthEndpoints?) async throws -> Principal {
        let hash = TokenIssuer.hash(token)
        let now = Date()
        let entry: Entry
        if let hit = self.cache[hash], hit.cachedUntil > now {
            entry = hit
        } else {
            entry = try await self.load(token: token, hash: hash, now: now)
            if self.cache.count > 10_000 { self.cache.removeAll() }
            self.cache[hash] = entry
        }
        guard let principal = entry.principal else { throw Self.refused("The bearer token is unknown, revoked or of a disabled user.") }
        if let audience = entry.audience {
            guard let resource else {
                throw Self.refused("OAuth access tokens are accepted on /mcp only.", hint: "Use an API token for /api.")
            }
            guard resource.isResource(audience) else {
                throw Self.refused("The access token was issued for another resource.", hint: "Obtain a token for \(resource.resource).")
            }
        }
        if let expiresAt = entry.expiresAt, expiresAt <= now {
            throw Self.refused("The access token has expired.", hint: "Refresh it at the token endpoint.")
        }
        await self.touch(principal, now: now)
        return principal
    }

    /// Forgets cached lookups, e.g. after a revocation or a user change.
    public func invalidate() {
        self.cache.removeAll()
    }

    func load(token: String, hash: String, now: Date) async throws -> Entry {
        let cachedUntil = now.addingTimeInterval(self.ttl)
        if token.hasPrefix(OAuthSecrets.accessPrefix) {
            guard let record = try await self.store.oauthToken(hash: hash), record.kind == .access, record.revokedAt == nil,
                let grant = try await self.store.grant(id: record.grantID), !grant.isRevoked,
                let user = try await self.store.user(id: grant.userID), user.isActive
            else { return Entry(principal: nil, cachedUntil: cachedUntil) }
            let principal = Principal(
                id: user.id,
                name: user.displayName,
                role: user.role,
                scopes: Set(grant.scopes),
                credentialID: grant.id
            )
            return Entry(principal: principal, audience: grant.resource, expiresAt: record.expiresAt, cachedUntil: cachedUntil)
        }
        guard !token.hasPrefix(OAuthSecrets.refreshPrefix), let record = try await self.store.token(hash: hash), !record.isRevoked,
            let user = try await self.store.user(id: record.userID), user.isActive
        else { return Entry(principal: nil, cachedUntil: cachedUntil) }
        let principal = Principal(id: user.id, name: user.displayName, role: min(record.role, user.role), credentialID: record.id)
        return Entry(principal: principal, cachedUntil: cachedUntil)
    }

    /// Records last use at most once a minute per credential, never failing the request for it.
    func touch(_ principal: Principal, now: Date) async {
        guard let credential = principal.credentialID,
            self.lastTouched[credential].map({ now.timeIntervalSince($0) > 60 }) ?? true
        else { return }
        self.lastTouched[credential] = now
        if principal.scopes != nil {
            try? await self.store.touchGrant(id: credential, at: now)
        } else {
            try? await self.store.touchToken(id: credential, at: now)
        }
    }

    static func refused(_ message: String, hint: String? = nil) -> AnalyticsError {
        AnalyticsError(
            .unauthenticated,
            message,
            hint: hint ?? "Sign in again, or create a token with `mcp-analytics tokens create --user EMAIL --name NAME`."
        )
    }
}
