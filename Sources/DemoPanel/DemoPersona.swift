import AnalyticsCore

/// A named segment of the demo panel, ready to store as a dataset persona.
///
/// Filters name dimension columns and values *after* merges (e.g. `nccs: ["A"]` includes raw A1), the
/// same vocabulary a free-text persona such as "Female 25-34 NCCS A" parses into.
public struct DemoPersona: Sendable, Hashable {
    public var name: String
    public var label: String
    public var description: String
    /// Column → accepted (merged) values; a respondent matches when every column matches one value.
    public var filters: [String: [String]]

    public init(name: String, label: String, description: String, filters: [String: [String]]) {
        self.name = name
        self.label = label
        self.description = description
        self.filters = filters
    }

    /// `{"name", "label", "description", "filters": {column: [values]}}`.
    public var jsonValue: JSONValue {
        .object([
            "name": .string(self.name),
            "label": .string(self.label),
            "description": .string(self.description),
            "filters": .object(self.filters.mapValues { .array($0.map(JSONValue.string)) }),
        ])
    }
}
