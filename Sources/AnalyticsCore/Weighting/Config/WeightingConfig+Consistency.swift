extension WeightingConfig {
    /// Problems the document shows on its own, without looking at the database: base sizes out of
    /// order, duplicate or self-contradicting dimensions, merges into undeclared values, phrases that
    /// name two values of one dimension, event tables without what a breakdown needs, and personas
    /// that name unknown dimensions or values (or raw values that a merge folds away).
    public func consistencyProblems() -> [String] {
        var problems: [String] = []
        if self.minBase < 1 { problems.append("min_base: must be at least 1 (got \(self.minBase))") }
        if self.cautionBase < self.minBase {
            problems.append("caution_base: must be at least min_base (\(self.minBase)), got \(self.cautionBase)")
        }
        var columns: Set<String> = []
        for (index, dimension) in self.dimensions.enumerated() {
            let path = "dimensions[\(index)]"
            if !columns.insert(dimension.column).inserted {
                problems.append("\(path).column: '\(dimension.column)' is declared twice")
            }
            if dimension.column == self.weightColumn {
                problems.append("\(path).column: the weight column cannot be a dimension")
            }
            problems += Self.dimensionProblems(dimension, at: path)
        }
        var tables: Set<String> = []
        for (index, table) in self.eventTables.enumerated() {
            let path = "event_tables[\(index)]"
            if !tables.insert(table.table).inserted { problems.append("\(path).table: '\(table.table)' is declared twice") }
            if table.table == self.respondentTable { problems.append("\(path).table: the respondent table is not an event table") }
            var measures: Set<String> = []
            for (m, measure) in table.measures.enumerated() where !measures.insert(measure.column).inserted {
                problems.append("\(path).measures[\(m)].column: '\(measure.column)' is declared twice")
            }
            for (m, measure) in table.measures.enumerated() where measure.aggregations.isEmpty {
                problems.append("\(path).measures[\(m)].aggregations: list at least one of sum, avg, count")
            }
        }
        var personaNames: Set<String> = []
        for (index, persona) in self.personas.enumerated() {
            let path = "personas[\(index)]"
            if !personaNames.insert(PersonaText.normalized(persona.name)).inserted {
                problems.append("\(path).name: '\(persona.name)' is declared twice")
            }
            problems += self.personaProblems(persona, at: path)
        }
        return problems
    }

    /// Problems of one persona's filters against the dimensions.
    public func personaProblems(_ persona: PersonaDefinition, at path: String) -> [String] {
        var problems: [String] = []
        if persona.filters.isEmpty { problems.append("\(path).filters: name at least one dimension") }
        for column in persona.filters.keys.sorted() {
            let values = persona.filters[column] ?? []
            guard let dimension = self.dimensions.first(where: { $0.column == column }) else {
                let known = self.dimensions.map(\.column).joined(separator: ", ")
                problems.append("\(path).filters.\(column): not a dimension column (dimensions: \(known))")
                continue
            }
            if values.isEmpty { problems.append("\(path).filters.\(column): list at least one value") }
            for value in values {
                if let target = dimension.merge[value], target != value {
                    problems.append("\(path).filters.\(column): '\(value)' is merged into '\(target)'; name '\(target)'")
                } else if !dimension.values.isEmpty, dimension.value(value) == nil {
                    let known = dimension.values.map(\.value).joined(separator: ", ")
                    problems.append("\(path).filters.\(column): '\(value)' is not a value of \(dimension.label) (values: \(known))")
                }
            }
        }
        return problems
    }

    private static func dimensionProblems(_ dimension: WeightingDimension, at path: String) -> [String] {
        var problems: [String] = []
        let declared = dimension.values.map(\.value)
        var seen: Set<String> = []
        for value in declared where !seen.insert(value).inserted {
            problems.append("\(path).values: '\(value)' is declared twice")
        }
        for source in dimension.merge.keys.sorted() {
            let target = dimension.merge[source] ?? source
            if !declared.contains(target) {
                problems.append("\(path).merge.\(source): target '\(target)' is not one of the declared values")
            }
            if source != target, declared.contains(source) {
                problems.append("\(path).merge.\(source): '\(source)' is a declared value and cannot also be merged into '\(target)'")
            }
        }
        var ordered: Set<String> = []
        for value in dimension.order {
            if !declared.contains(value) { problems.append("\(path).order: '\(value)' is not one of the declared values") }
            if !ordered.insert(value).inserted { problems.append("\(path).order: '\(value)' is listed twice") }
        }
        var phrases: [String: String] = [:]
        for value in dimension.values {
            for phrase in Set(([value.value, value.label] + value.aliases).map(PersonaText.normalized)) where !phrase.isEmpty {
                if let other = phrases[phrase], other != value.value {
                    problems.append("\(path).values: '\(phrase)' names both '\(other)' and '\(value.value)'")
                } else {
                    phrases[phrase] = value.value
                }
            }
        }
        return problems
    }

    /// Phrases that name values of more than one dimension; a free-text persona using one alone is
    /// ambiguous (`AMBIGUOUS_PERSONA`) unless the dimension is named beside it.
    public var sharedPhrases: [String: [String]] {
        var owners: [String: Set<String>] = [:]
        for dimension in self.dimensions {
            for value in dimension.values {
                for phrase in ([value.value, value.label] + value.aliases).map(PersonaText.normalized) where !phrase.isEmpty {
                    owners[phrase, default: []].insert(dimension.column)
                }
            }
        }
        return owners.filter { $0.value.count > 1 }.mapValues { $0.sorted() }
    }
}
