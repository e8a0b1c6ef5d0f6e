import Foundation

/// A signed-in browser session (login and consent pages, later the web UI). The cookie carries a
/// random value; the store keeps only its SHA-256.
public struct UserSession: Sendable, Hashable {
    public var hash: String
    public var userID: String
    /// Bound to the session so a form posted from another site cannot act in it.
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(hash: String, userID: String, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.hash = hash
        self.userID = userID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
