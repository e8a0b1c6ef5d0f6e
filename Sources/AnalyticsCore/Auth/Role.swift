/// What a token holder is trusted to do. Roles are ordered: each includes the ones below it.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    /// Reads the registry, metadata, health and query logs.
    case viewer
    /// Also runs queries and plans.
    case analyst
    /// Also edits metadata, weighting and personas and moves datasets through review.
    case reviewer
    /// Everything: registers and deletes datasets, manages tokens and secrets.
    case admin

    var rank: Int {
        switch self {
        case .viewer: 0
        case .analyst: 1
        case .reviewer: 2
        case .admin: 3
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    /// Whether this role may perform `permission`.
    public func allows(_ permission: Permission) -> Bool {
        self >= permission.minimumRole
    }
}

/// An action guarded by the role table.
public enum Permission: String, Sendable, CaseIterable {
    case readRegistry
    case readQueryLog
    case runQueries
    case editMetadata
    case reviewDatasets
    case manageDatasets
    case manageTokens

    /// The role table: the least role that may perform each action.
    public var minimumRole: Role {
        switch self {
        case .readRegistry, .readQueryLog: .viewer
        case .runQueries: .analyst
        case .editMetadata, .reviewDatasets: .reviewer
        case .manageDatasets, .manageTokens: .admin
        }
    }
}
