/// A dataset's weighting configuration (DESIGN §5.2): where respondents and their weights live,
/// the persona dimensions analysts slice by, the base-size rules and the event tables that
/// breakdowns may measure.
///
/// It is stored in the registry as a JSON document (``Dataset/weighting``) with snake_case keys —
/// the shape of `DemoPanel.weightingConfig` — and read through ``init(document:)``, which rejects a
/// malformed document with `INVALID_WEIGHTING_CONFIG` listing every problem at once, so whoever
/// edits it fixes it in one round. ``document`` writes it back in the same shape.
public struct WeightingConfig: Sendable, Hashable {
    /// What a query that aggregates respondents without their weight gets (DESIGN §5.2).
    public enum UnweightedPolicy: String, Sendable, Hashable, CaseIterable {
        /// The query runs and its result carries an `UNWEIGHTED_AGGREGATE` warning.
        case warn
        /// The query is refused with `UNWEIGHTED_AGGREGATE`.
        case block
    }

    /// The document version this code reads and writes.
    public static let currentVersion = 1
    public static let defaultMinBase = 30
    public static let defaultCautionBase = 100

    public var version: Int
    /// Schema of every table named here, when they are not on the search path (PostgreSQL only).
    public var schema: String?
    public var respondentTable: String
    /// One row per respondent in ``respondentTable`` has a distinct value here; event tables join on it.
    public var respondentKey: String
    public var weightColumn: String
    public var dimensions: [WeightingDimension]
    /// Below this many respondents a value is withheld (`suppressed`).
    public var minBase: Int
    /// Below this many respondents a value is flagged (`caution`).
    public var cautionBase: Int
    public var unweightedPolicy: UnweightedPolicy
    public var eventTables: [EventTableConfig]
    public var personas: [PersonaDefinition]

    public init(
        version: Int = WeightingConfig.currentVersion,
        schema: String? = nil,
        respondentTable: String,
        respondentKey: String,
        weightColumn: String,
        dimensions: [WeightingDimension] = [],
        minBase: Int = WeightingConfig.defaultMinBase,
        cautionBase: Int = WeightingConfig.defaultCautionBase,
        unweightedPolicy: UnweightedPolicy = .warn,
        eventTables: [EventTableConfig] = [],
        personas: [PersonaDefinition] = []
    ) {
        self.version = version
        self.schema = schema
        self.respondentTable = respondentTable
        self.respondentKey = respondentKey
        self.weightColumn = weightColumn
        self.dimensions = dimensions
        self.minBase = minBase
        self.cautionBase = cautionBase
        self.unweightedPolicy = unweightedPolicy
        self.eventTables = eventTables
        self.personas = personas
    }

    /// The dimension on `column`, or whose label or alias is `name` (case- and spacing-insensitive).
    public func dimension(named name: String) -> WeightingDimension? {
        if let exact = self.dimensions.first(where: { $0.column == name }) { return exact }
        let key = PersonaText.normalized(name)
        return self.dimensions.first { dimension in
            ([dimension.column, dimension.label] + dimension.aliases).contains { PersonaText.normalized($0) == key }
        }
    }

    /// The event table called `name` (exact, then case-insensitive, then by label).
    public func eventTable(named name: String) -> EventTableConfig? {
        if let exact = self.eventTables.first(where: { $0.table == name }) { return exact }
        let key = PersonaText.normalized(name)
        return self.eventTables.first { PersonaText.normalized($0.table) == key || PersonaText.normalized($0.label) == key }
    }

    /// The stored persona whose name or label is `text` (case- and spacing-insensitive).
    public func persona(named text: String) -> PersonaDefinition? {
        let key = PersonaText.normalized(text)
        guard !key.isEmpty else { return nil }
        return self.personas.first { PersonaText.normalized($0.name) == key }
            ?? self.personas.first { PersonaText.normalized($0.label) == key }
    }

    /// Schema-qualified name parts of `table`, for `SQLIdentifier.quote(qualified:)`.
    public func qualifiedName(_ table: String) -> [String] {
        self.schema.map { [$0, table] } ?? [table]
    }
}
