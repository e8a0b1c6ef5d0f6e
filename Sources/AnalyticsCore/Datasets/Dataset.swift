import Foundation

/// A registered dataset as the registry knows it: identity, lifecycle, descriptive metadata and
/// settings, but never its credentials (those live encrypted beside it, see `ConnectionURL`).
public struct Dataset: Sendable, Codable, Hashable, Identifiable {
    /// A short slug (`[a-z][a-z0-9_]*`) that MCP clients pass as `dataset_id`.
    public var id: String
    public var name: String
    public var description: String
    public var state: LifecycleState
    public var tags: [String]
    public var owner: String?
    public var defaultPersona: String?
    public var connectionKind: ConnectionURL.Kind
    /// The connection URL with its password masked.
    public var redactedURL: String
    public var settings: DatasetSettings
    /// The weighting configuration document (DESIGN §5.2); `nil` for unweighted datasets.
    public var weighting: JSONValue?
    /// Reviewed descriptive metadata: data dictionary, use cases, quality notes (DESIGN §5.4).
    public var metadata: JSONValue?
    /// Warnings raised about the dataset, e.g. a login that can write.
    public var warnings: [String]
    /// Increases on every change; part of the result-cache key so a change invalidates cached results.
    public var version: Int
    /// Whether the dataset has ever passed review; gates `inactive → active`.
    public var everApproved: Bool
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        name: String,
        description: String = "",
        state: LifecycleState = .draft,
        tags: [String] = [],
        owner: String? = nil,
        defaultPersona: String? = nil,
        connectionKind: ConnectionURL.Kind,
        redactedURL: String,
        settings: DatasetSettings = DatasetSettings(),
        weighting: JSONValue? = nil,
        metadata: JSONValue? = nil,
        warnings: [String] = [],
        version: Int = 1,
        everApproved: Bool = false,
        createdBy: String,
        createdAt: Date = Date(),
        updatedAt: Date = Date()
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.state = state
        self.tags = tags
        self.owner = owner
        self.defaultPersona = defaultPersona
        self.connectionKind = connectionKind
        self.redactedURL = redactedURL
        self.settings = settings
        self.weighting = weighting
        self.metadata = metadata
        self.warnings = warnings
        self.version = version
        self.everApproved = everApproved
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, state, tags, owner, settings, weighting, metadata, warnings, version
        case defaultPersona = "default_persona"
        case connectionKind = "connection_kind"
        case redactedURL = "connection_url"
        case everApproved = "ever_approved"
        case createdBy = "created_by"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

extension Dataset {
    /// Valid ids are lowercase slugs so they read well in tool schemas and URLs.
    public static func isValidID(_ id: String) -> Bool {
        guard (2...63).contains(id.count), let first = id.unicodeScalars.first, ("a"..."z").contains(first) else {
            return false
        }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// Derives an id from a display name: `"TV Panel 2025"` → `"tv_panel_2025"`.
    public static func slug(from name: String) -> String {
        var slug = ""
        var lastWasUnderscore = false
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
                lastWasUnderscore = false
            } else if !lastWasUnderscore, !slug.isEmpty {
                slug += "_"
                lastWasUnderscore = true
            }
        }
        while slug.hasSuffix("_") { slug.removeLast() }
        if slug.first.map({ !$0.isLetter }) ?? true { slug = "ds_" + slug }
        if slug.count < 2 { slug += "_dataset" }
        return String(slug.prefix(63))
    }
}
