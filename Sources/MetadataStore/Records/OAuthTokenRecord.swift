import Foundation

/// An OAuth access or refresh token as stored: its SHA-256, its grant and its expiry.
///
/// A refresh token is rotated on use. For a short grace the pair it was exchanged for is kept,
/// sealed with the secret keyring, so a client that refreshes twice at once gets the same new pair
/// instead of revoking its own family.
public struct OAuthTokenRecord: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case access
        case refresh
    }

    public var hash: String
    public var kind: Kind
    public var grantID: String
    public var createdAt: Date
    public var expiresAt: Date
    /// When a refresh token was exchanged (rotated).
    public var usedAt: Date?
    /// The sealed successor pair of a rotated refresh token (ciphertext), with its key id.
    public var successor: Data?
    public var successorKeyID: String?
    public var revokedAt: Date?

    public init(
        hash: String,
        kind: Kind,
        grantID: String,
        createdAt: Date,
        expiresAt: Date,
        usedAt: Date? = nil,
        successor: Data? = nil,
        successorKeyID: String? = nil,
        revokedAt: Date? = nil
    ) {
        self.hash = hash
        self.kind = kind
        self.grantID = grantID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
        self.successor = successor
        self.successorKeyID = successorKeyID
        self.revokedAt = revokedAt
    }
}
