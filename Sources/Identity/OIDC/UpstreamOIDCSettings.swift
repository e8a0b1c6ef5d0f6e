/// An upstream OpenID Connect provider people may sign in with ("Sign in with …" on the login page).
/// Its tokens only prove who someone is: the server then issues its own, and never passes upstream
/// tokens to MCP clients nor accepts them on `/mcp`.
public struct UpstreamOIDCSettings: Sendable, Equatable {
    /// The provider's issuer URL exactly as the provider spells it (a trailing slash included: it is
    /// compared verbatim with the discovery document and the ID token's `iss`).
    public var issuer: String
    public var clientID: String
    public var clientSecret: String?
    /// Email domains whose people may sign in: a new account (role viewer) is made on their first
    /// sign-in, or an existing one with that verified email is linked. Nobody else signs in upstream.
    public var allowedDomains: [String]
    /// The provider's name on the button.
    public var displayName: String

    public init(issuer: String, clientID: String, clientSecret: String?, allowedDomains: [String], displayName: String = "your organisation") {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.allowedDomains = allowedDomains.map { $0.lowercased() }
        self.displayName = displayName
    }

    /// OpenID Connect Discovery §4: the issuer without a trailing slash, then the well-known path.
    public var discoveryURL: String {
        (self.issuer.hasSuffix("/") ? String(self.issuer.dropLast()) : self.issuer) + "/.well-known/openid-configuration"
    }
}
