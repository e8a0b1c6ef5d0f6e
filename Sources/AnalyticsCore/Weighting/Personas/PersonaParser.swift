/// Turns a persona — a stored name or free text such as "women 25 to 34, nccs a" — into a
/// ``PersonaSegment`` of dimension filters (DESIGN §5.2).
///
/// Free text is matched word by word against the config's vocabulary after ``PersonaText``
/// normalisation (case, hyphens, commas, "to" between numbers): each value's `value`, `label` and
/// `aliases`, the same qualified by a dimension name ("nccs a", "region north"), and dimension names
/// themselves, which only set context. The longest phrase wins. Rules:
/// - several values of one dimension are a union ("North or South", "NCCS A/B");
/// - a phrase that names values of several dimensions is `AMBIGUOUS_PERSONA`, unless the dimension
///   was named just before it ("nccs a");
/// - a single word that is also an English filler ("a", "in", "and") is a value only when the
///   dimension was just named ("NCCS B/A"); otherwise it is skipped, so "a woman" is not NCCS A;
/// - a numeric range that is no value but exactly covers adjacent bands ("35-54" over 35-44 and
///   45-54, "45+" over 45-54 and 55+) selects those bands;
/// - a raw value that a merge folds away ("A1") and any word matching nothing are
///   `UNKNOWN_PERSONA`, with `details` listing the valid values per dimension and the stored personas.
public struct PersonaParser: Sendable {
    enum Match: Hashable, Sendable {
        case dimension(String)
        case value(column: String, value: String)
        case mergedSource(column: String, raw: String, target: String)

        var column: String {
            switch self {
            case .dimension(let column), .value(let column, _), .mergedSource(let column, _, _): column
            }
        }

        var isDimension: Bool {
            if case .dimension = self { return true }
            return false
        }
    }

    /// Words skipped between values; single-word values equal to one of them need their dimension named first.
    static let fillers: Set<String> = [
        "a", "an", "the", "and", "or", "in", "of", "from", "who", "with", "are", "is", "aged", "years", "year", "yrs", "old", "olds",
        "living", "based", "people", "persons", "respondents", "users", "viewers", "consumers", "segment", "persona", "only",
    ]
    /// Words that, alone, mean everyone.
    static let everyone: Set<String> = ["all", "everyone", "everybody", "total", "overall"]

    public let config: WeightingConfig
    let phrases: [String: Set<Match>]
    let longestPhrase: Int

    public init(config: WeightingConfig) {
        self.config = config
        var phrases: [String: Set<Match>] = [:]
        func add(_ text: String, _ match: Match) {
            let key = PersonaText.normalized(text)
            if !key.isEmpty { phrases[key, default: []].insert(match) }
        }
        for dimension in config.dimensions {
            let names = [dimension.column, dimension.label] + dimension.aliases
            for name in names { add(name, .dimension(dimension.column)) }
            for value in dimension.values {
                for spelling in [value.value, value.label] + value.aliases {
                    add(spelling, .value(column: dimension.column, value: value.value))
                    for name in names { add(name + " " + spelling, .value(column: dimension.column, value: value.value)) }
                }
            }
            for (raw, target) in dimension.merge where raw != target {
                add(raw, .mergedSource(column: dimension.column, raw: raw, target: target))
                for name in names { add(name + " " + raw, .mergedSource(column: dimension.column, raw: raw, target: target)) }
            }
        }
        self.phrases = phrases
        self.longestPhrase = phrases.keys.map { $0.split(separator: " ").count }.max() ?? 1
    }

    /// A stored persona by name or label, else free text; `nil` for blank text.
    public func resolve(_ text: String?) throws -> PersonaSegment? {
        guard let text, !PersonaText.normalized(text).isEmpty else { return nil }
        if let stored = self.config.persona(named: text) {
            return PersonaSegment(
                input: text,
                label: stored.label,
                filters: self.ordered(stored.filters),
                source: .named(stored.name)
            )
        }
        return try self.parse(text)
    }

    /// Parses free text (stored names are not consulted).
    public func parse(_ text: String) throws -> PersonaSegment {
        let words = PersonaText.words(text)
        var state = ParseState()
        var index = 0
        while index < words.count {
            index = self.step(words, at: index, &state)
        }
        if !state.unknown.isEmpty || !state.merged.isEmpty {
            throw self.unknownError(text, unknown: state.unknown, merged: state.merged)
        }
        if !state.ambiguous.isEmpty { throw self.ambiguousError(text, state.ambiguous) }
        if state.filters.isEmpty {
            guard words.contains(where: Self.everyone.contains) else {
                throw self.unknownError(text, unknown: [], merged: [], noValue: true)
            }
            return PersonaSegment(input: text, label: "all respondents", filters: [:], source: .parsed)
        }
        let filters = self.ordered(state.filters.mapValues(Array.init))
        return PersonaSegment(input: text, label: self.label(for: filters), filters: filters, source: .parsed)
    }

    /// Narrative label of filters: value labels per dimension in config order, a dimension's values joined by "/".
    public func label(for filters: [String: [String]]) -> String {
        let parts = self.config.dimensions.compactMap { dimension -> String? in
            guard let values = filters[dimension.column], !values.isEmpty else { return nil }
            return values.map { dimension.label(for: $0) }.joined(separator: "/")
        }
        return parts.isEmpty ? "all respondents" : parts.joined(separator: " ")
    }

    /// Filters with each value list in the dimension's display order.
    func ordered(_ filters: [String: [String]]) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for (column, values) in filters {
            let dimension = self.config.dimensions.first { $0.column == column }
            result[column] = Array(Set(values)).sorted { a, b in
                let (ra, rb) = (dimension?.rank(of: a) ?? 0, dimension?.rank(of: b) ?? 0)
                return ra == rb ? a < b : ra < rb
            }
        }
        return result
    }
}
