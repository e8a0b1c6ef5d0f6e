import AnalyticsCore
import Foundation
import MetadataStore

/// Resolves bearer tokens to principals, with a short cache so a busy client does not cost a store
/// read per request.
///
/// The cache holds hashes, never tokens. Revocations made through this process invalidate it at once;
/// a revocation from another process takes effect within `ttl`.
public actor TokenAuthenticator {
    let store: any TokenStore
    let ttl: TimeInterval
    var cache: [String: (principal: Principal?, expires: Date)] = [:]
    var lastTouched: [String: Date] = [:]

    public init(store: any TokenStore, ttl: TimeInterval = 5) {
        self.store = store
        self.ttl = ttl
    }

    /// The principal for `token`, or `UNAUTHENTICATED` for an unknown or revoked token.
    public func authenticate(token: String) async throws -> Principal {
        let hash = TokenIssuer.hash(token)
        let now = Date()
        if let hit = self.cache[hash], hit.expires > now {
            return try Self.unwrap(hit.principal)
        }
        let record = try await self.store.token(hash: hash)
        let principal = record.flatMap { $0.isRevoked ? nil : Principal(id: $0.id, name: $0.name, role: $0.role) }
        if self.cache.count > 10_000 { self.cache.removeAll() }
        self.cache[hash] = (principal, now.addingTimeInterval(self.ttl))
        if let principal, self.lastTouched[principal.id].map({ now.timeIntervalSince($0) > 60 }) ?? true {
            self.lastTouched[principal.id] = now
            try? await self.store.touchToken(id: principal.id, at: now)
        }
        return try Self.unwrap(principal)
    }

    /// Forgets cached lookups, e.g. after a revocation.
    public func invalidate() {
        self.cache.removeAll()
    }

    static func unwrap(_ principal: Principal?) throws -> Principal {
        guard let principal else {
            throw AnalyticsError(
                .unauthenticated,
                "The bearer token is unknown or revoked.",
                hint: "Create a token with `mcp-analytics tokens create --name NAME --role ROLE`."
            )
        }
        return principal
    }
}
