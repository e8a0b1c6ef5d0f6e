/// Who is making a request: a user, resolved from an API token, an OAuth access token or a browser
/// session — or the local operator under `--no-auth`.
public struct Principal: Sendable, Hashable, Codable {
    /// The user id (never a token). Every actor the audit trail records is this id.
    public var id: String
    /// The user's display name, shown beside the id.
    public var name: String
    /// The effective role: the user's role, capped by the credential's (an API token's role).
    public var role: Role
    /// OAuth scopes the credential carries; `nil` for credentials without scopes (API tokens, the
    /// local operator), which the role alone limits.
    public var scopes: Set<String>?
    /// The API token or OAuth grant the request came with, for the audit trail; `nil` otherwise.
    public var credentialID: String?

    public init(id: String, name: String, role: Role, scopes: Set<String>? = nil, credentialID: String? = nil) {
        self.id = id
        self.name = name
        self.role = role
        self.scopes = scopes
        self.credentialID = credentialID
    }

    /// The identity used when auth is off on a loopback host: full rights, clearly named in logs.
    public static let localOperator = Principal(id: "local", name: "local-operator", role: .admin)

    /// The identity of the server itself (start-up jobs, the demo bootstrap).
    public static let system = Principal(id: "system", name: "system", role: .admin)

    /// Whether the credential carries `scope` (always, for credentials without scopes).
    public func has(scope: String) -> Bool {
        self.scopes.map { $0.contains(scope) } ?? true
    }

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
