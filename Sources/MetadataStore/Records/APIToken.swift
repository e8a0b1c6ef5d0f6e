import AnalyticsCore
import Foundation

/// An API token as stored: a name, a role, the user it acts for and the SHA-256 of the token, never
/// the token. The token's role is capped by its user's role when it is used.
public struct APIToken: Sendable, Codable, Hashable {
    public var id: String
    public var name: String
    public var role: Role
    public var userID: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(
        id: String,
        name: String,
        role: Role,
        userID: String,
        createdAt: Date,
        lastUsedAt: Date? = nil,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.userID = userID
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { self.revokedAt != nil }

    enum CodingKeys: String, CodingKey {
        case id, name, role
        case userID = "user_id"
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case revokedAt = "revoked_at"
    }
}
