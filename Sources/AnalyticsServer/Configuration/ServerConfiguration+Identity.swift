import AnalyticsCore
import Foundation
import Identity

/// Settings of sign-in and the embedded OAuth authorization server (`serve --help` lists them).
extension ServerConfiguration {
    static let identityOptions: [Option] = [
        Option(
            name: "public-url",
            section: .identity,
            help:
                "The server's public origin, e.g. https://analytics.example.com: the OAuth issuer; the MCP resource (token audience) is it plus /mcp.",
            valueName: "origin",
            defaultText: "the request's Host, loopback only"
        ) { config, value in
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard let components = URLComponents(string: trimmed), ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
                components.host != nil, components.path.isEmpty, components.query == nil, components.fragment == nil
            else { throw invalid("public-url", value, "an origin such as https://analytics.example.com (no path, no trailing slash)") }
            config.oauth.publicURL = trimmed
        },
        .list(
            "oauth-redirect-allowlist",
            \.oauth.redirectAllowlist,
            .identity,
            value: "uris",
            shown: "the Claude and ChatGPT callbacks and loopback",
            "Comma-separated redirect URIs dynamic client registration accepts; a trailing * matches any suffix, http://HOST:* any port."
        ),
        Option(
            name: "oauth-client-documents",
            section: .identity,
            help: "JSON file mapping client_id URLs to pinned Client ID Metadata Documents, used without fetching.",
            valueName: "path",
            defaultText: nil
        ) { config, value in
            config.oauthClientDocumentsFile = value
            config.oauth.pinnedClientDocuments = try Self.pinnedDocuments(path: value)
        },
        .boolean(
            "oauth-allow-insecure-client-urls",
            \.oauth.allowInsecureClientURLs,
            .identity,
            switch: true,
            "Accept http:// loopback client_id metadata URLs; tests and local development only, loopback binds only."
        ),
        .number("oauth-access-token-ttl", \.oauth.accessTokenTTL, 1...86_400, .identity, "Seconds an OAuth access token lives."),
        .number("oauth-code-ttl", \.oauth.codeTTL, 1...600, .identity, "Seconds an authorization code lives."),
        .number("session-ttl", \.oauth.sessionTTL, 1...2_592_000, .identity, "Seconds a browser sign-in session lives."),
        Option(
            name: "oidc-issuer",
            section: .identity,
            help: "Upstream OpenID Connect issuer for \"Sign in with …\".",
            valueName: "url",
            defaultText: nil
        ) { config, value in
            guard let components = URLComponents(string: value), ["http", "https"].contains(components.scheme ?? ""), components.host != nil
            else { throw invalid("oidc-issuer", value, "the provider's issuer URL, e.g. https://accounts.google.com") }
            config.oidc.issuer = value
        },
        .optionalText("oidc-client-id", \.oidc.clientID, .identity, value: "id", "This server's client id at the upstream provider."),
        .optionalText(
            "oidc-client-secret",
            \.oidc.clientSecret,
            .identity,
            value: "secret",
            "This server's client secret at the upstream provider; prefer the environment."
        ),
        .list(
            "oidc-allowed-domains",
            \.oidc.allowedDomains,
            .identity,
            value: "domains",
            "Comma-separated email domains whose people get a viewer account on first upstream sign-in."
        ),
        .optionalText("oidc-name", \.oidc.name, .identity, value: "name", shown: "its host", "The provider's name on the sign-in button."),
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
