import ArgumentParser

/// `serve` options for sign-in and the embedded OAuth authorization server.
struct IdentityOptions: ParsableArguments {
    @Option(
        name: .customLong("public-url"),
        help: """
            The server's public origin, e.g. https://analytics.example.com: the OAuth issuer; the MCP resource (token audience) is \
            it plus /mcp (env MCPA_PUBLIC_URL; default: the request's Host, loopback only).
            """
    )
    var publicURL: String?

    @Option(
        name: .customLong("oauth-redirect-allowlist"),
        help: """
            Comma-separated redirect URIs dynamic client registration accepts; a trailing * matches any suffix, http://HOST:* any \
            port (env MCPA_OAUTH_REDIRECT_ALLOWLIST; default: the Claude and ChatGPT callbacks and loopback).
            """
    )
    var oauthRedirectAllowlist: String?

    @Option(
        name: .customLong("oauth-client-documents"),
        help: """
            JSON file mapping client_id URLs to pinned Client ID Metadata Documents, used without fetching \
            (env MCPA_OAUTH_CLIENT_DOCUMENTS).
            """
    )
    var oauthClientDocuments: String?

    @Flag(
        name: .customLong("oauth-allow-insecure-client-urls"),
        help:
            "Accept http:// loopback client_id metadata URLs; tests and local development only, loopback binds only (env MCPA_OAUTH_ALLOW_INSECURE_CLIENT_URLS)."
    )
    var oauthAllowInsecureClientURLs = false

    @Option(
        name: .customLong("oauth-access-token-ttl"),
        help: "Seconds an OAuth access token lives (env MCPA_OAUTH_ACCESS_TOKEN_TTL; default 3600)."
    )
    var oauthAccessTokenTTL: Int?

    @Option(name: .customLong("oauth-code-ttl"), help: "Seconds an authorization code lives (env MCPA_OAUTH_CODE_TTL; default 120).")
    var oauthCodeTTL: Int?

    @Option(name: .customLong("session-ttl"), help: "Seconds a browser sign-in session lives (env MCPA_SESSION_TTL; default 43200).")
    var sessionTTL: Int?

    @Option(name: .customLong("oidc-issuer"), help: "Upstream OpenID Connect issuer for \"Sign in with …\" (env MCPA_OIDC_ISSUER).")
    var oidcIssuer: String?

    @Option(name: .customLong("oidc-client-id"), help: "This server's client id at the upstream provider (env MCPA_OIDC_CLIENT_ID).")
    var oidcClientID: String?

    @Option(
        name: .customLong("oidc-client-secret"),
        help: "This server's client secret at the upstream provider; prefer the environment (env MCPA_OIDC_CLIENT_SECRET)."
    )
    var oidcClientSecret: String?

    @Option(
        name: .customLong("oidc-allowed-domains"),
        help: "Comma-separated email domains whose people get a viewer account on first upstream sign-in (env MCPA_OIDC_ALLOWED_DOMAINS)."
    )
    var oidcAllowedDomains: String?

    @Option(name: .customLong("oidc-name"), help: "The provider's name on the sign-in button (env MCPA_OIDC_NAME; default its host).")
    var oidcName: String?

    var flags: [String: String] {
        var flags: [String: String] = [:]
        flags["public-url"] = self.publicURL
        flags["oauth-redirect-allowlist"] = self.oauthRedirectAllowlist
        flags["oauth-client-documents"] = self.oauthClientDocuments
        if self.oauthAllowInsecureClientURLs { flags["oauth-allow-insecure-client-urls"] = "true" }
        flags["oauth-access-token-ttl"] = self.oauthAccessTokenTTL.map(String.init)
        flags["oauth-code-ttl"] = self.oauthCodeTTL.map(String.init)
        flags["session-ttl"] = self.sessionTTL.map(String.init)
        flags["oidc-issuer"] = self.oidcIssuer
        flags["oidc-client-id"] = self.oidcClientID
        flags["oidc-client-secret"] = self.oidcClientSecret
        flags["oidc-allowed-domains"] = self.oidcAllowedDomains
        flags["oidc-name"] = self.oidcName
        return flags
    }
}
