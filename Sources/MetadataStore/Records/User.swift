import AnalyticsCore
import Foundation

/// A person (or, for tokens migrated from before users existed, a service account) who can act on
/// the server. Every actor the audit trail names is a user id.
///
/// The password hash stays inside the server: it is not part of the encoded form, so a `User` can be
/// returned by the API as it is.
public struct User: Sendable, Encodable, Hashable {
    public var id: String
    /// Lowercased; unique.
    public var email: String
    public var displayName: String
    public var role: Role
    public var isActive: Bool
    /// bcrypt hash of the local password, `nil` when the user signs in only through upstream OIDC or
    /// uses API tokens only.
    public var passwordHash: String?
    public var createdAt: Date
    public var lastLoginAt: Date?

    public init(
        id: String,
        email: String,
        displayName: String,
        role: Role,
        isActive: Bool = true,
        passwordHash: String? = nil,
        createdAt: Date,
        lastLoginAt: Date? = nil
    ) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.role = role
        self.isActive = isActive
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.lastLoginAt = lastLoginAt
    }

    enum CodingKeys: String, CodingKey {
        case id, email, role
        case displayName = "display_name"
        case isActive = "active"
        case createdAt = "created_at"
        case lastLoginAt = "last_login_at"
        case hasPassword = "has_password"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.email, forKey: .email)
        try container.encode(self.displayName, forKey: .displayName)
        try container.encode(self.role, forKey: .role)
        try container.encode(self.isActive, forKey: .isActive)
        try container.encode(self.createdAt, forKey: .createdAt)
        try container.encode(self.lastLoginAt, forKey: .lastLoginAt)
        try container.encode(self.passwordHash != nil, forKey: .hasPassword)
    }
}
