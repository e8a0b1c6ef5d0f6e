import AnalyticsCore

/// What a client sends to register a dataset.
public struct CreateDatasetRequest: Sendable, Codable {
    /// Optional slug; derived from `name` when absent.
    public var id: String?
    public var name: String
    public var description: String?
    /// `postgres://…`, `postgresql://…` or `sqlite:PATH`; a secret, stored encrypted.
    public var connectionURL: String
    public var tags: [String]?
    public var owner: String?
    public var defaultPersona: String?
    public var settings: DatasetSettings?

    public init(
        id: String? = nil,
        name: String,
        description: String? = nil,
        connectionURL: String,
        tags: [String]? = nil,
        owner: String? = nil,
        defaultPersona: String? = nil,
        settings: DatasetSettings? = nil
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.connectionURL = connectionURL
        self.tags = tags
        self.owner = owner
        self.defaultPersona = defaultPersona
        self.settings = settings
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, description, tags, owner, settings
        case connectionURL = "connection_url"
        case defaultPersona = "default_persona"
    }
}

/// A partial update: absent fields are left as they are.
public struct DatasetPatch: Sendable, Codable {
    public var name: String?
    public var description: String?
    public var tags: [String]?
    public var owner: String?
    public var defaultPersona: String?
    public var settings: DatasetSettings?
    /// Replacing the connection needs the admin role and passes the same connectivity check as creation.
    public var connectionURL: String?
    /// Recorded with the version, e.g. why the edit was made.
    public var note: String?

    public init(
        name: String? = nil,
        description: String? = nil,
        tags: [String]? = nil,
        owner: String? = nil,
        defaultPersona: String? = nil,
        settings: DatasetSettings? = nil,
        connectionURL: String? = nil,
        note: String? = nil
    ) {
        self.name = name
        self.description = description
        self.tags = tags
        self.owner = owner
        self.defaultPersona = defaultPersona
        self.settings = settings
        self.connectionURL = connectionURL
        self.note = note
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, tags, owner, settings, note
        case defaultPersona = "default_persona"
        case connectionURL = "connection_url"
    }

    /// Whether the patch touches anything only an admin may change.
    var needsAdmin: Bool { self.connectionURL != nil || self.settings != nil }
}

/// A lifecycle move requested by a client.
public struct TransitionRequest: Sendable, Codable {
    public var to: LifecycleState
    public var note: String?

    public init(to: LifecycleState, note: String? = nil) {
        self.to = to
        self.note = note
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case to, note
    }
}
