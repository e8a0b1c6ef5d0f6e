import Foundation

/// What a user allowed one client: scopes for one resource. Every access and refresh token hangs off
/// a grant, so revoking the grant ends them all (a token family).
public struct OAuthGrant: Sendable, Hashable, Encodable {
    public var id: String
    public var userID: String
    public var clientID: String
    public var scopes: [String]
    /// The audience of its tokens: the canonical MCP resource URL.
    public var resource: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(
        id: String,
        userID: String,
        clientID: String,
        scopes: [String],
        resource: String,
        createdAt: Date,
        lastUsedAt: Date? = nil,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.userID = userID
        self.clientID = clientID
        self.scopes = scopes
        self.resource = resource
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { self.revokedAt != nil }

    enum CodingKeys: String, CodingKey {
        case id, scopes, resource
        case userID = "user_id"
        case clientID = "client_id"
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case revokedAt = "revoked_at"
    }

    /// Every key is present; unset times are `null`, so clients need not guess at missing fields.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.userID, forKey: .userID)
        try container.encode(self.clientID, forKey: .clientID)
        try container.encode(self.scopes, forKey: .scopes)
        try container.encode(self.resource, forKey: .resource)
        try container.encode(self.createdAt, forKey: .createdAt)
        try container.encode(self.lastUsedAt, forKey: .lastUsedAt)
        try container.encode(self.revokedAt, forKey: .revokedAt)
    }
}
