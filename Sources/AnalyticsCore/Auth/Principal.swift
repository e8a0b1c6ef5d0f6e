/// Who is making a request: resolved from a bearer token, or the local operator under `--no-auth`.
public struct Principal: Sendable, Hashable, Codable {
    /// The token id (never the token itself), or `"local"` without auth.
    public var id: String
    public var name: String
    public var role: Role

    public init(id: String, name: String, role: Role) {
        self.id = id
        self.name = name
        self.role = role
    }

    /// The identity used when auth is off on a loopback host: full rights, clearly named in logs.
    public static let localOperator = Principal(id: "local", name: "local-operator", role: .admin)

    /// The identity of the server itself (start-up jobs, the demo bootstrap).
    public static let system = Principal(id: "system", name: "system", role: .admin)

    /// Throws `ACCESS_DENIED` unless the role allows `permission`.
    public func require(_ permission: Permission) throws {
        guard self.role.allows(permission) else {
            throw AnalyticsError(
                .accessDenied,
                "Role '\(self.role.rawValue)' may not \(permission.summary).",
                hint: "This needs role '\(permission.minimumRole.rawValue)' or higher; ask an admin for a token with that role."
            )
        }
    }
}

extension Permission {
    var summary: String {
        switch self {
        case .readRegistry: "read the dataset registry"
        case .readQueryLog: "read the query log"
        case .runQueries: "run queries"
        case .editMetadata: "edit dataset metadata"
        case .reviewDatasets: "move datasets through review"
        case .manageDatasets: "register or delete datasets"
        case .manageTokens: "manage API tokens"
        }
    }
}
