import AnalyticsCore
import Foundation

/// An API token as stored: a name, a role and the SHA-256 of the token, never the token.
public struct APIToken: Sendable, Codable, Hashable {
    public var id: String
    public var name: String
    public var role: Role
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(id: String, name: String, role: Role, createdAt: Date, lastUsedAt: Date? = nil, revokedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.role = role
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { self.revokedAt != nil }

    enum CodingKeys: String, CodingKey {
        case id, name, role
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case revokedAt = "revoked_at"
    }
}
