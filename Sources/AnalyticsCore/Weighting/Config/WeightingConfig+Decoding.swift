extension WeightingConfig {
    /// Top-level keys of the document.
    public static let documentKeys = [
        "version", "schema", "respondent_table", "respondent_key", "weight_column", "dimensions", "min_base", "caution_base",
        "unweighted_policy", "event_tables", "personas",
    ]

    /// Reads and checks a weighting document.
    ///
    /// Throws `INVALID_WEIGHTING_CONFIG` listing every problem (`details.problems`), each prefixed by
    /// its path: wrong types, unknown fields, missing required fields, and inconsistencies the
    /// document shows on its own (see ``consistencyProblems()``). Checks against the live database
    /// are the data plane's (`WeightingSchemaValidator`).
    public init(document: JSONValue) throws {
        var reader = ConfigReader()
        guard let root = reader.object(document, at: "", allowed: Self.documentKeys) else {
            throw Self.invalid(reader.problems)
        }
        let version = reader.int(root, "version", at: "", default: Self.currentVersion)
        if version != Self.currentVersion {
            reader.fail("version", "\(version) is not supported (this server reads version \(Self.currentVersion))")
        }
        let policyText = reader.optionalString(root, "unweighted_policy", at: "") ?? UnweightedPolicy.warn.rawValue
        let policy = UnweightedPolicy(rawValue: policyText.lowercased())
        if policy == nil {
            reader.fail("unweighted_policy", "'\(policyText)' is not one of: warn, block")
        }
        let dimensions = reader.array(root, "dimensions", at: "").enumerated().compactMap { index, value in
            Self.dimension(value, at: "dimensions[\(index)]", &reader)
        }
        let eventTables = reader.array(root, "event_tables", at: "").enumerated().compactMap { index, value in
            Self.eventTable(value, at: "event_tables[\(index)]", &reader)
        }
        let personas = reader.array(root, "personas", at: "").enumerated().compactMap { index, value in
            Self.persona(value, at: "personas[\(index)]", &reader)
        }
        let respondentTable = reader.string(root, "respondent_table", at: "")
        let respondentKey = reader.string(root, "respondent_key", at: "")
        let weightColumn = reader.string(root, "weight_column", at: "")
        let config = WeightingConfig(
            version: version,
            schema: reader.optionalString(root, "schema", at: ""),
            respondentTable: respondentTable ?? "",
            respondentKey: respondentKey ?? "",
            weightColumn: weightColumn ?? "",
            dimensions: dimensions,
            minBase: reader.int(root, "min_base", at: "", default: Self.defaultMinBase),
            cautionBase: reader.int(root, "caution_base", at: "", default: Self.defaultCautionBase),
            unweightedPolicy: policy ?? .warn,
            eventTables: eventTables,
            personas: personas
        )
        let problems = reader.problems + config.consistencyProblems()
        guard problems.isEmpty else { throw Self.invalid(problems) }
        self = config
    }

    static func invalid(_ problems: [String]) -> AnalyticsError {
        let first = problems.first ?? "the document is not valid"
        let more = problems.count > 1 ? " (and \(problems.count - 1) more problem\(problems.count == 2 ? "" : "s"))" : ""
        return AnalyticsError(
            .invalidWeightingConfig,
            "Invalid weighting config: \(first)\(more).",
            hint: "Fix every listed problem; see DESIGN §5.2 or GET /api/datasets/{id}/weighting of the demo dataset for the shape.",
            details: .object(["problems": .array(problems.map(JSONValue.string))])
        )
    }

    private static func dimension(_ value: JSONValue, at path: String, _ reader: inout ConfigReader) -> WeightingDimension? {
        let keys = ["column", "label", "aliases", "values", "merge", "order"]
        guard let object = reader.object(value, at: path, allowed: keys) else { return nil }
        let column = reader.string(object, "column", at: path)
        let values = reader.array(object, "values", at: path).enumerated().compactMap { index, entry -> WeightingDimension.Value? in
            let valuePath = "\(path).values[\(index)]"
            if let plain = entry.stringValue ?? entry.intValue.map({ String($0) }) {
                return reader.text(.string(plain), at: valuePath, numbers: true).map { WeightingDimension.Value(value: $0) }
            }
            guard let fields = reader.object(entry, at: valuePath, allowed: ["value", "label", "aliases"]),
                let name = reader.string(fields, "value", at: valuePath, numbers: true)
            else { return nil }
            return WeightingDimension.Value(
                value: name,
                label: reader.optionalString(fields, "label", at: valuePath),
                aliases: reader.strings(fields, "aliases", at: valuePath)
            )
        }
        var merge: [String: String] = [:]
        if let raw = object["merge"], !raw.isNull {
            if let map = raw.objectValue {
                for (source, target) in map {
                    if let text = reader.text(target, at: "\(path).merge.\(source)", numbers: true) { merge[source] = text }
                }
            } else {
                reader.fail("\(path).merge", "must be an object mapping raw values to reported values")
            }
        }
        let order = object["order"].map { _ in reader.strings(object, "order", at: path, numbers: true) }
        guard let column else { return nil }
        return WeightingDimension(
            column: column,
            label: reader.optionalString(object, "label", at: path),
            aliases: reader.strings(object, "aliases", at: path),
            values: values,
            merge: merge,
            order: order
        )
    }

    private static func eventTable(_ value: JSONValue, at path: String, _ reader: inout ConfigReader) -> EventTableConfig? {
        let keys = ["table", "label", "respondent_key", "time_column", "time_type", "measures", "filter_columns"]
        guard let object = reader.object(value, at: path, allowed: keys) else { return nil }
        let table = reader.string(object, "table", at: path)
        let key = reader.string(object, "respondent_key", at: path)
        let timeTypeText = reader.optionalString(object, "time_type", at: path) ?? EventTableConfig.TimeType.timestamp.rawValue
        let timeType = EventTableConfig.TimeType(rawValue: timeTypeText.lowercased())
        if timeType == nil {
            reader.fail("\(path).time_type", "'\(timeTypeText)' is not one of: date, timestamp")
        }
        let measures = reader.array(object, "measures", at: path).enumerated().compactMap { index, entry in
            Self.measure(entry, at: "\(path).measures[\(index)]", &reader)
        }
        guard let table, let key else { return nil }
        return EventTableConfig(
            table: table,
            label: reader.optionalString(object, "label", at: path),
            respondentKey: key,
            timeColumn: reader.optionalString(object, "time_column", at: path),
            timeType: timeType ?? .timestamp,
            measures: measures,
            filterColumns: reader.strings(object, "filter_columns", at: path)
        )
    }

    private static func measure(_ value: JSONValue, at path: String, _ reader: inout ConfigReader) -> EventTableConfig.Measure? {
        guard let object = reader.object(value, at: path, allowed: ["column", "label", "unit", "aggregations"]) else { return nil }
        let column = reader.string(object, "column", at: path)
        var aggregations = EventTableConfig.Aggregation.allCases
        if object["aggregations"] != nil {
            aggregations = reader.strings(object, "aggregations", at: path).compactMap { name in
                guard let aggregation = EventTableConfig.Aggregation(rawValue: name.lowercased()) else {
                    reader.fail("\(path).aggregations", "'\(name)' is not one of: sum, avg, count")
                    return nil
                }
                return aggregation
            }
        }
        guard let column else { return nil }
        return EventTableConfig.Measure(
            column: column,
            label: reader.optionalString(object, "label", at: path),
            unit: reader.optionalString(object, "unit", at: path),
            aggregations: aggregations
        )
    }

    static func persona(_ value: JSONValue, at path: String, _ reader: inout ConfigReader) -> PersonaDefinition? {
        guard let object = reader.object(value, at: path, allowed: ["name", "label", "description", "filters"]) else { return nil }
        let name = reader.string(object, "name", at: path)
        var filters: [String: [String]] = [:]
        if let raw = object["filters"], let map = raw.objectValue {
            for (column, values) in map {
                let field = "\(path).filters.\(column)"
                if let single = values.stringValue {
                    filters[column] = reader.text(.string(single), at: field).map { [$0] } ?? []
                } else if let list = values.arrayValue {
                    filters[column] = list.enumerated().compactMap { index, element in
                        reader.text(element, at: "\(field)[\(index)]", numbers: true)
                    }
                } else {
                    reader.fail(field, "must be a value or an array of values")
                }
            }
        } else {
            reader.fail("\(path).filters", "is required: an object mapping dimension columns to accepted values")
        }
        guard let name else { return nil }
        return PersonaDefinition(
            name: name,
            label: reader.optionalString(object, "label", at: path),
            description: object["description"]?.stringValue ?? reader.optionalString(object, "description", at: path) ?? "",
            filters: filters
        )
    }
}
