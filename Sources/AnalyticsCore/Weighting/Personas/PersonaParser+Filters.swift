extension PersonaParser {
    /// Resolves explicit dimension filters (`{"region": ["north"]}`): keys may be a dimension's
    /// column, label or alias; values its reported values, labels or aliases. Returns column →
    /// reported values. An unknown dimension or value is `INVALID_REQUEST` listing the valid ones.
    public func resolveFilters(_ filters: [String: [String]]) throws -> [String: [String]] {
        var resolved: [String: Set<String>] = [:]
        for key in filters.keys.sorted() {
            let dimension = try self.dimension(key, role: "filters")
            for raw in filters[key] ?? [] {
                resolved[dimension.column, default: []].insert(try self.resolveValue(raw, in: dimension))
            }
        }
        return self.ordered(resolved.mapValues(Array.init))
    }

    /// The dimension a `by` entry or filter key names, or `INVALID_REQUEST` listing the dimensions.
    public func dimension(_ name: String, role: String) throws -> WeightingDimension {
        guard let dimension = self.config.dimension(named: name) else {
            let known = self.config.dimensions.map { "\($0.column) (\($0.label))" }.joined(separator: ", ")
            throw AnalyticsError(
                .invalidRequest,
                "'\(name)' in \(role) is not a persona dimension of this dataset.",
                hint: known.isEmpty ? "This dataset's weighting config declares no dimensions." : "Use one of: \(known).",
                details: self.vocabulary
            )
        }
        return dimension
    }

    /// A value of `dimension` given as its reported value, label or alias.
    public func resolveValue(_ raw: String, in dimension: WeightingDimension) throws -> String {
        if dimension.value(raw) != nil { return raw }
        let key = PersonaText.normalized(raw)
        let names = [dimension.column, dimension.label] + dimension.aliases
        let candidates = [key] + names.map { PersonaText.normalized($0) + " " + key }
        for candidate in candidates {
            for match in self.phrases[candidate] ?? [] where match.column == dimension.column {
                switch match {
                case .value(_, let value): return value
                case .mergedSource(_, let source, let target):
                    throw AnalyticsError(
                        .invalidRequest,
                        "'\(source)' is reported merged into '\(dimension.label(for: target))' in \(dimension.label).",
                        hint: "Filter on '\(target)'; merged categories are analysed together.",
                        details: self.vocabulary
                    )
                case .dimension: continue
                }
            }
        }
        if dimension.values.isEmpty { return raw }
        throw AnalyticsError(
            .invalidRequest,
            "'\(raw)' is not a value of \(dimension.label).",
            hint: "Use one of: \(dimension.displayOrder.map { dimension.label(for: $0) }.joined(separator: ", ")).",
            details: self.vocabulary
        )
    }

    /// The segment of a persona narrowed by explicit filters: per dimension, the values both allow.
    /// Throws `INVALID_REQUEST` when they leave a dimension with no value.
    public func combine(_ persona: PersonaSegment?, filters: [String: [String]]) throws -> PersonaSegment? {
        guard !filters.isEmpty else { return persona }
        var combined = persona?.filters ?? [:]
        for (column, values) in filters {
            if let existing = combined[column] {
                let both = existing.filter(values.contains)
                guard !both.isEmpty else {
                    let dimension = self.config.dimensions.first { $0.column == column }
                    throw AnalyticsError.invalidRequest(
                        "The persona and the filters select no common \(dimension?.label ?? column).",
                        hint: "The persona allows \(existing.joined(separator: ", ")); the filters allow \(values.joined(separator: ", "))."
                    )
                }
                combined[column] = both
            } else {
                combined[column] = values
            }
        }
        let ordered = self.ordered(combined)
        let filterLabel = self.label(for: filters)
        return PersonaSegment(
            input: persona?.input ?? "",
            label: persona.map { "\($0.label), \(filterLabel)" } ?? filterLabel,
            filters: ordered,
            source: persona?.source ?? .filters
        )
    }
}
