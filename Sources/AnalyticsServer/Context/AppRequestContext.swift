import AnalyticsCore
import Hummingbird
import Identity

/// The per-request context: Hummingbird's core storage plus who is calling.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` on authenticated routes; `nil` on public ones.
    public var principal: Principal?
    /// The OAuth issuer and MCP resource of this request; set on `/mcp` by its auth middleware.
    public var oauthEndpoints: OAuthEndpoints?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
        self.oauthEndpoints = nil
    }

    /// The caller, or `UNAUTHENTICATED` when a route forgot its auth middleware (a server bug, never a bypass).
    public func requirePrincipal() throws -> Principal {
        guard let principal else {
            throw AnalyticsError(.unauthenticated, "This route needs a bearer token.", hint: "Send Authorization: Bearer <token>.")
        }
        return principal
    }

    /// Request bodies above this size are refused.
    public var maxUploadSize: Int { 1024 * 1024 }
}
