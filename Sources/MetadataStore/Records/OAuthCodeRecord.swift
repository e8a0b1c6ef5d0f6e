import Foundation

/// An authorization code as stored: its SHA-256 and everything the token endpoint must check.
/// Single-use: `usedAt` is set when redeemed, and `grantID` then names what it issued, so a replay
/// can revoke it.
public struct OAuthCodeRecord: Sendable, Hashable {
    public var hash: String
    public var clientID: String
    public var userID: String
    public var redirectURI: String
    /// The PKCE S256 challenge (base64url SHA-256 of the verifier).
    public var codeChallenge: String
    public var scopes: [String]
    public var resource: String
    public var createdAt: Date
    public var expiresAt: Date
    public var usedAt: Date?
    public var grantID: String?

    public init(
        hash: String,
        clientID: String,
        userID: String,
        redirectURI: String,
        codeChallenge: String,
        scopes: [String],
        resource: String,
        createdAt: Date,
        expiresAt: Date,
        usedAt: Date? = nil,
        grantID: String? = nil
    ) {
        self.hash = hash
        self.clientID = clientID
        self.userID = userID
        self.redirectURI = redirectURI
        self.codeChallenge = codeChallenge
        self.scopes = scopes
        self.resource = resource
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
        self.grantID = grantID
    }
}
