import AnalyticsCore
import Foundation
import Identity

/// Settings of sign-in and the embedded OAuth authorization server (`serve --help` lists them).
extension ServerConfiguration {
    static let identityOptions: [Option] = [
        Option(name: "public-url") { config, value in
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard let components = URLComponents(string: trimmed), ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
                components.host != nil, components.path.isEmpty, components.query == nil, components.fragment == nil
            else { throw invalid("public-url", value, "an origin such as https://analytics.example.com (no path, no trailing slash)") }
            config.oauth.publicURL = trimmed
        },
        Option(name: "oauth-redirect-allowlist") { $0.oauth.redirectAllowlist = list($1) },
        Option(name: "oauth-client-documents") { config, value in
            config.oauthClientDocumentsFile = value
            config.oauth.pinnedClientDocuments = try Self.pinnedDocuments(path: value)
        },
        Option(name: "oauth-allow-insecure-client-urls") { config, value in
            config.oauth.allowInsecureClientURLs = try bool("oauth-allow-insecure-client-urls", value)
        },
        Option(name: "oauth-access-token-ttl") { config, value in
            config.oauth.accessTokenTTL = TimeInterval(try integer("oauth-access-token-ttl", value, in: 1...86_400))
        },
        Option(name: "oauth-code-ttl") { config, value in
            config.oauth.codeTTL = TimeInterval(try integer("oauth-code-ttl", value, in: 1...600))
        },
        Option(name: "session-ttl") { config, value in
            config.oauth.sessionTTL = TimeInterval(try integer("session-ttl", value, in: 1...30 * 86_400))
        },
        Option(name: "oidc-issuer") { config, value in
            guard let components = URLComponents(string: value), ["http", "https"].contains(components.scheme ?? ""), components.host != nil
            else { throw invalid("oidc-issuer", value, "the provider's issuer URL, e.g. https://accounts.google.com") }
            config.oidc.issuer = value
        },
        Option(name: "oidc-client-id") { $0.oidc.clientID = $1 },
        Option(name: "oidc-client-secret") { $0.oidc.clientSecret = $1 },
        Option(name: "oidc-allowed-domains") { $0.oidc.allowedDomains = list($1) },
        Option(name: "oidc-name") { $0.oidc.name = $1 },
    ]

    /// The raw upstream OpenID Connect settings, combined by ``upstreamOIDC``.
    public struct OIDCOptions: Sendable, Equatable {
        public var issuer: String?
        public var clientID: String?
        public var clientSecret: String?
        public var allowedDomains: [String] = []
        public var name: String?
    }

    /// The upstream provider, when one is configured.
    public var upstreamOIDC: UpstreamOIDCSettings? {
        guard let issuer = self.oidc.issuer, let clientID = self.oidc.clientID else { return nil }
        return UpstreamOIDCSettings(
            issuer: issuer,
            clientID: clientID,
            clientSecret: self.oidc.clientSecret,
            allowedDomains: self.oidc.allowedDomains,
            displayName: self.oidc.name ?? URLComponents(string: issuer)?.host ?? issuer
        )
    }

    /// `{"<client_id URL>": {…metadata document…}}`: documents used without fetching them.
    static func pinnedDocuments(path: String) throws -> [String: JSONValue] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AnalyticsError(.invalidConfiguration, "The OAuth client documents file '\(path)' cannot be read.", hint: "Check the path.")
        }
        guard let object = (try? JSONValue.parse(data))?.objectValue else {
            throw AnalyticsError(
                .invalidConfiguration,
                "The OAuth client documents file '\(path)' is not a JSON object.",
                hint: #"Write {"https://client.example/oauth.json": {"client_id": "https://client.example/oauth.json", "redirect_uris": [...]}}."#
            )
        }
        return object
    }

    /// The issuer of a request: the configured public URL, else the origin the request was sent to.
    func oauthEndpoints(requestHost: String?) -> OAuthEndpoints {
        if let publicURL = self.oauth.publicURL { return OAuthEndpoints(issuer: publicURL) }
        return OAuthEndpoints(issuer: "http://" + (requestHost ?? "\(self.host):\(self.port)"))
    }

    func validateIdentitySettings() throws {
        if (self.oidc.issuer == nil) != (self.oidc.clientID == nil) {
            throw AnalyticsError(
                .invalidConfiguration,
                "Upstream sign-in needs both --oidc-issuer and --oidc-client-id.",
                hint: "Register this server with the provider (redirect URI <public-url>/oauth/oidc/callback) and pass both."
            )
        }
        if self.oauth.allowInsecureClientURLs, !Self.isLoopback(self.host) {
            throw AnalyticsError(
                .invalidConfiguration,
                "--oauth-allow-insecure-client-urls is refused on host '\(self.host)'.",
                hint: "It is for tests and local development on a loopback address only."
            )
        }
    }
}
