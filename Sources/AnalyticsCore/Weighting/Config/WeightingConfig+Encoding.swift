extension WeightingConfig {
    /// The config as its stored JSON document (the shape ``init(document:)`` reads).
    public var document: JSONValue {
        var root: [String: JSONValue] = [
            "version": .int(Int64(self.version)),
            "respondent_table": .string(self.respondentTable),
            "respondent_key": .string(self.respondentKey),
            "weight_column": .string(self.weightColumn),
            "dimensions": .array(self.dimensions.map(\.document)),
            "min_base": .int(Int64(self.minBase)),
            "caution_base": .int(Int64(self.cautionBase)),
            "unweighted_policy": .string(self.unweightedPolicy.rawValue),
            "event_tables": .array(self.eventTables.map(\.document)),
            "personas": .array(self.personas.map(\.document)),
        ]
        if let schema = self.schema { root["schema"] = .string(schema) }
        return .object(root)
    }
}

extension WeightingDimension {
    public var document: JSONValue {
        .object([
            "column": .string(self.column),
            "label": .string(self.label),
            "aliases": .array(self.aliases.map(JSONValue.string)),
            "values": .array(
                self.values.map { value in
                    .object([
                        "value": .string(value.value),
                        "label": .string(value.label),
                        "aliases": .array(value.aliases.map(JSONValue.string)),
                    ])
                }
            ),
            "merge": .object(self.merge.mapValues(JSONValue.string)),
            "order": .array(self.order.map(JSONValue.string)),
        ])
    }
}

extension EventTableConfig {
    public var document: JSONValue {
        var object: [String: JSONValue] = [
            "table": .string(self.table),
            "label": .string(self.label),
            "respondent_key": .string(self.respondentKey),
            "time_type": .string(self.timeType.rawValue),
            "measures": .array(
                self.measures.map { measure in
                    var fields: [String: JSONValue] = [
                        "column": .string(measure.column),
                        "label": .string(measure.label),
                        "aggregations": .array(measure.aggregations.map { .string($0.rawValue) }),
                    ]
                    if let unit = measure.unit { fields["unit"] = .string(unit) }
                    return .object(fields)
                }
            ),
            "filter_columns": .array(self.filterColumns.map(JSONValue.string)),
        ]
        if let time = self.timeColumn { object["time_column"] = .string(time) }
        return .object(object)
    }
}

extension PersonaDefinition {
    public var document: JSONValue {
        .object([
            "name": .string(self.name),
            "label": .string(self.label),
            "description": .string(self.description),
            "filters": .object(self.filters.mapValues { .array($0.map(JSONValue.string)) }),
        ])
    }

    /// Reads one persona document (`{"name", "label"?, "description"?, "filters"}`), e.g. a persona
    /// added through the API; checks against the dimensions are ``WeightingConfig/personaProblems(_:at:)``.
    public init(document: JSONValue) throws {
        var reader = ConfigReader()
        let persona = WeightingConfig.persona(document, at: "persona", &reader)
        guard reader.problems.isEmpty, let persona else { throw WeightingConfig.invalid(reader.problems) }
        self = persona
    }
}
