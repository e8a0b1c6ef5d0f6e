/// An upstream OpenID Connect provider people may sign in with ("Sign in with …" on the login page).
/// Its tokens only prove who someone is: the server then issues its own, and never passes upstream
/// tokens to MCP clients nor accepts them on `/mcp`.
public struct UpstreamOIDCSettings: Sendable, Equatable {
    /// The provider's issuer URL (its discovery document is `<issuer>/.well-known/openid-configuration`).
    public var issuer: String
    public var clientID: String
    public var clientSecret: String?
    /// Email domains whose people get an account (role viewer) on their first sign-in; others must
    /// already have one.
    public var allowedDomains: [String]
    /// The provider's name on the button.
    public var displayName: String

    public init(issuer: String, clientID: String, clientSecret: String?, allowedDomains: [String], displayName: String = "your organisation") {
        self.issuer = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.allowedDomains = allowedDomains.map { $0.lowercased() }
        self.displayName = displayName
    }
}
