/// A resolved persona: the respondents whose reported dimension values match ``filters``.
public struct PersonaSegment: Sendable, Hashable {
    /// Where the segment came from.
    public enum Source: Sendable, Hashable {
        /// A stored persona, by its name.
        case named(String)
        /// Free text parsed against dimension labels and aliases.
        case parsed
        /// Built from explicit filters only.
        case filters
    }

    /// What the caller wrote (the persona string), for echoing back.
    public var input: String
    /// Narrative label: the stored persona's label, or one built from the matched values ("Female 25-34 NCCS A").
    public var label: String
    /// Dimension column → accepted reported values, each list in display order.
    public var filters: [String: [String]]
    public var source: Source

    public init(input: String, label: String, filters: [String: [String]], source: Source) {
        self.input = input
        self.label = label
        self.filters = filters
        self.source = source
    }

    /// `{"input", "label", "filters", "source", "name"?}` for results.
    public var document: JSONValue {
        var object: [String: JSONValue] = [
            "input": .string(self.input),
            "label": .string(self.label),
            "filters": .object(self.filters.mapValues { .array($0.map(JSONValue.string)) }),
        ]
        switch self.source {
        case .named(let name):
            object["source"] = "named"
            object["name"] = .string(name)
        case .parsed: object["source"] = "parsed"
        case .filters: object["source"] = "filters"
        }
        return .object(object)
    }
}
