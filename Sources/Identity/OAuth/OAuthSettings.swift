import AnalyticsCore
import Foundation

/// How the embedded authorization server behaves; resolved from the server configuration.
public struct OAuthSettings: Sendable, Equatable {
    /// The server's public origin (`https://analytics.example.com`, no trailing slash). `nil` derives
    /// it per request from the `Host` header (loopback development only: the Host policy then admits
    /// loopback names alone).
    public var publicURL: String?
    /// Redirect URIs dynamic registration accepts (`*` at the end matches any suffix; `host:*` any port).
    public var redirectAllowlist: [String] = OAuthSettings.defaultRedirectAllowlist
    /// Client ID Metadata Documents pinned by their `client_id` URL: used without a fetch.
    public var pinnedClientDocuments: [String: JSONValue] = [:]
    /// Accepts `http://` loopback `client_id` URLs for metadata documents (tests and local
    /// development; refused on a routable bind).
    public var allowInsecureClientURLs = false
    public var accessTokenTTL: TimeInterval = 3_600
    public var refreshTokenTTL: TimeInterval = 30 * 86_400
    public var codeTTL: TimeInterval = 120
    public var sessionTTL: TimeInterval = 12 * 3_600
    /// How long a rotated refresh token still yields the pair it was exchanged for (clients that
    /// refresh from two places at once), before reuse revokes the family.
    public var refreshReuseGrace: TimeInterval = 60

    public init() {}

    /// Claude's and ChatGPT's connector callbacks and loopback (native and CLI clients).
    public static let defaultRedirectAllowlist = [
        "https://claude.ai/api/mcp/auth_callback",
        "https://claude.com/api/mcp/auth_callback",
        "https://chatgpt.com/connector_platform_oauth_redirect",
        "https://chatgpt.com/connector/oauth/*",
        "http://127.0.0.1:*",
        "http://localhost:*",
    ]
}

/// The URLs of one issuer: the authorization server and the MCP resource it protects.
public struct OAuthEndpoints: Sendable, Equatable {
    /// The issuer, also the public origin: no trailing slash.
    public let issuer: String

    public init(issuer: String) {
        self.issuer = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
    }

    /// The canonical MCP resource identifier (RFC 8707 audience of every token).
    public var resource: String { self.issuer + "/mcp" }
    /// Protected Resource Metadata, path-inserted (RFC 9728 §3.1).
    public var resourceMetadata: String { self.issuer + "/.well-known/oauth-protected-resource/mcp" }
    public var authorization: String { self.issuer + "/oauth/authorize" }
    public var token: String { self.issuer + "/oauth/token" }
    public var registration: String { self.issuer + "/oauth/register" }
    public var revocation: String { self.issuer + "/oauth/revoke" }

    /// Whether `candidate` names this resource: scheme and host compare case-insensitively and a
    /// trailing slash is tolerated; anything else (another path, port, query) is a different audience.
    public func isResource(_ candidate: String) -> Bool {
        Self.canonical(candidate) == Self.canonical(self.resource)
    }

    static func canonical(_ url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let host = components.host?.lowercased(), components.query == nil, components.fragment == nil,
            components.user == nil
        else { return nil }
        var path = components.path
        while path.hasSuffix("/") { path.removeLast() }
        let port = components.port.map { ":\($0)" } ?? ""
        return "\(scheme)://\(host)\(port)\(path)"
    }
}
