extension PersonaParser {
    /// Valid values per dimension (labels, as a persona would name them) and the stored personas.
    public var vocabulary: JSONValue {
        var values: [String: JSONValue] = [:]
        for dimension in self.config.dimensions {
            values[dimension.column] = .array(dimension.displayOrder.map { .string(dimension.label(for: $0)) })
        }
        return .object([
            "valid_values": .object(values),
            "dimensions": .array(
                self.config.dimensions.map { .object(["column": .string($0.column), "label": .string($0.label)]) }
            ),
            "personas": .array(self.config.personas.map { .string($0.name) }),
        ])
    }

    func unknownError(
        _ text: String,
        unknown: [String],
        merged: [(raw: String, target: String, column: String)],
        noValue: Bool = false
    ) -> AnalyticsError {
        var parts: [String] = []
        if !unknown.isEmpty {
            parts.append("\(unknown.map { "'\($0)'" }.joined(separator: ", ")) match\(unknown.count == 1 ? "es" : "") no dimension value")
        }
        for item in merged {
            let dimension = self.config.dimensions.first { $0.column == item.column }
            let target = dimension?.label(for: item.target) ?? item.target
            parts.append("'\(item.raw)' is reported merged into '\(target)'")
        }
        if noValue { parts.append("it names no dimension value") }
        var details = self.vocabulary.objectValue ?? [:]
        details["unknown"] = .array(unknown.map(JSONValue.string) + merged.map { .string($0.raw) })
        return AnalyticsError(
            .unknownPersona,
            "Persona '\(text)' could not be read: \(parts.joined(separator: "; ")).",
            hint:
                "Use a stored persona (\(self.config.personas.map(\.name).joined(separator: ", "))) or combine the values in details.valid_values, e.g. '\(self.example)'.",
            details: .object(details)
        )
    }

    func ambiguousError(_ text: String, _ ambiguous: [(phrase: String, columns: [String: String])]) -> AnalyticsError {
        let described = ambiguous.map { item in
            let options = item.columns.keys.sorted().map { column in
                let dimension = self.config.dimensions.first { $0.column == column }
                return "\(dimension?.label ?? column) \(dimension?.label(for: item.columns[column]) ?? item.columns[column] ?? "")"
            }
            return "'\(item.phrase)' could be \(options.joined(separator: " or "))"
        }
        var details = self.vocabulary.objectValue ?? [:]
        details["ambiguous"] = .array(
            ambiguous.map { item in
                .object([
                    "phrase": .string(item.phrase),
                    "candidates": .object(item.columns.mapValues(JSONValue.string)),
                ])
            }
        )
        return AnalyticsError(
            .ambiguousPersona,
            "Persona '\(text)' is ambiguous: \(described.joined(separator: "; ")).",
            hint: "Name the dimension before the value, e.g. '<dimension> <value>', or use a stored persona.",
            details: .object(details)
        )
    }

    /// A persona built from the first value of the first three dimensions, for hints.
    var example: String {
        self.config.dimensions.prefix(3).compactMap { dimension in dimension.displayOrder.first.map { dimension.label(for: $0) } }
            .joined(separator: " ")
    }
}
