extension BreakdownRequest {
    /// Reads a request document; every problem is reported at once as `INVALID_REQUEST` with
    /// `details.problems`. `datasetID` fills in a missing `dataset_id` (plan steps carry it outside).
    public init(document: JSONValue, datasetID: String? = nil) throws {
        var reader = ConfigReader()
        guard let root = reader.object(document, at: "", allowed: Self.documentKeys) else { throw Self.invalid(reader.problems) }
        let id = reader.optionalString(root, "dataset_id", at: "") ?? datasetID
        if id == nil { reader.fail("dataset_id", "is required") }
        var measure: BreakdownMeasure?
        if let value = root["measure"], !value.isNull {
            measure = Self.measure(value, &reader)
        } else {
            reader.fail("measure", "is required: {\"type\": \"share\"|\"mean\"|\"total\"|\"per_user\", …}")
        }
        var by: [String] = []
        if let value = root["by"], let single = value.stringValue {
            by = reader.text(.string(single), at: "by").map { [$0] } ?? []
        } else {
            by = reader.strings(root, "by", at: "")
        }
        if by.count > Self.maximumDimensions {
            reader.fail("by", "at most \(Self.maximumDimensions) dimensions (got \(by.count))")
        }
        if Set(by).count != by.count { reader.fail("by", "names a dimension twice") }
        let filters = Self.stringLists(root["filters"], at: "filters", &reader)
        var reference: BreakdownDay?
        if let text = reader.optionalString(root, "reference_date", at: "") {
            reference = BreakdownDay(text)
            if reference == nil { reader.fail("reference_date", "'\(text)' is not a date (YYYY-MM-DD)") }
        }
        let persona = root["persona"].flatMap { $0.isNull ? nil : reader.text($0, at: "persona") }
        guard reader.problems.isEmpty, let id, let measure else { throw Self.invalid(reader.problems) }
        self.init(datasetID: id, measure: measure, by: by, persona: persona, filters: filters, referenceDate: reference)
    }

    static func invalid(_ problems: [String]) -> AnalyticsError {
        AnalyticsError(
            .invalidRequest,
            "Invalid breakdown request: \(problems.first ?? "not valid")\(problems.count > 1 ? " (and \(problems.count - 1) more)" : "").",
            hint: "Example: {\"dataset_id\": \"demo\", \"measure\": {\"type\": \"share\", \"reach\": {\"table\": \"tv_viewing\", "
                + "\"filters\": {\"genre\": [\"Sports\"]}, \"last_days\": 90}}, \"by\": [\"region\"], \"persona\": \"Female 25-34 NCCS A\"}",
            details: .object(["problems": .array(problems.map(JSONValue.string))])
        )
    }

    private static func measure(_ value: JSONValue, _ reader: inout ConfigReader) -> BreakdownMeasure? {
        let keys = ["type", "label", "condition", "column", "events", "reach"]
        guard let object = reader.object(value, at: "measure", allowed: keys) else { return nil }
        guard let typeText = reader.string(object, "type", at: "measure") else { return nil }
        guard let kind = BreakdownMeasure.Kind(rawValue: typeText.lowercased()) else {
            reader.fail("measure.type", "'\(typeText)' is not one of: share, mean, total, per_user")
            return nil
        }
        if object["events"] != nil, object["reach"] != nil { reader.fail("measure", "give either events or reach, not both") }
        let eventKey = object["reach"] != nil ? "reach" : "events"
        let events = object[eventKey].flatMap { $0.isNull ? nil : Self.events($0, at: "measure.\(eventKey)", kind: kind, &reader) }
        let conditions = object["condition"].map { Self.conditions($0, &reader) } ?? []
        let column = reader.optionalString(object, "column", at: "measure")
        switch kind {
        case .share:
            if (events == nil) == conditions.isEmpty {
                reader.fail("measure", "a share needs exactly one of condition (on respondent columns) or reach (events)")
            }
            if column != nil { reader.fail("measure.column", "not used by a share; use condition") }
        case .mean, .total:
            if (events == nil) == (column == nil) {
                reader.fail("measure", "a \(kind.rawValue) needs exactly one of column (a respondent column) or events")
            }
            if !conditions.isEmpty { reader.fail("measure.condition", "only a share takes a condition") }
        case .perUser:
            if events == nil { reader.fail("measure.events", "is required: per_user is the mean among respondents with events") }
            if column != nil || !conditions.isEmpty { reader.fail("measure", "per_user takes only events") }
        }
        return BreakdownMeasure(
            kind: kind,
            label: reader.optionalString(object, "label", at: "measure"),
            conditions: conditions,
            column: column,
            events: events
        )
    }

    private static func events(_ value: JSONValue, at path: String, kind: BreakdownMeasure.Kind, _ reader: inout ConfigReader) -> EventSelection? {
        let keys = ["table", "aggregation", "column", "filters", "last_days", "from", "to"]
        guard let object = reader.object(value, at: path, allowed: keys), let table = reader.string(object, "table", at: path) else {
            return nil
        }
        let column = reader.optionalString(object, "column", at: path)
        var aggregation: EventTableConfig.Aggregation?
        if let text = reader.optionalString(object, "aggregation", at: path) {
            aggregation = EventTableConfig.Aggregation(rawValue: text.lowercased())
            if aggregation == nil { reader.fail("\(path).aggregation", "'\(text)' is not one of: sum, avg, count") }
        } else if kind != .share {
            aggregation = column == nil ? .count : .sum
        }
        if aggregation == .sum || aggregation == .avg, column == nil {
            reader.fail("\(path).column", "is required for \(aggregation?.rawValue ?? "")")
        }
        var filters: [String: [JSONValue]] = [:]
        if let raw = object["filters"], !raw.isNull {
            if let map = raw.objectValue {
                for (name, values) in map {
                    let list = values.arrayValue ?? [values]
                    let scalars = list.filter { $0.objectValue == nil && $0.arrayValue == nil && !$0.isNull }
                    if scalars.count != list.count || list.isEmpty {
                        reader.fail("\(path).filters.\(name)", "must be a value or a non-empty array of values")
                    }
                    filters[name] = scalars
                }
            } else {
                reader.fail("\(path).filters", "must be an object mapping filter columns to values")
            }
        }
        return EventSelection(
            table: table,
            aggregation: aggregation,
            column: column,
            filters: filters,
            window: Self.window(object, at: path, &reader)
        )
    }

    private static func window(_ object: [String: JSONValue], at path: String, _ reader: inout ConfigReader) -> DateWindow? {
        var window = DateWindow()
        if object["last_days"] != nil {
            let days = reader.int(object, "last_days", at: path, default: 0)
            if !(1...Self.maximumDays).contains(days) {
                reader.fail("\(path).last_days", "must be between 1 and \(Self.maximumDays)")
            }
            window.lastDays = days
        }
        for key in ["from", "to"] {
            guard let text = reader.optionalString(object, key, at: path) else { continue }
            guard let day = BreakdownDay(text) else {
                reader.fail("\(path).\(key)", "'\(text)' is not a date (YYYY-MM-DD)")
                continue
            }
            if key == "from" { window.from = day } else { window.to = day }
        }
        if window.lastDays != nil, window.from != nil || window.to != nil {
            reader.fail(path, "give either last_days or from/to, not both")
        }
        if let from = window.from, let to = window.to, from > to { reader.fail(path, "from (\(from)) is after to (\(to))") }
        return window.lastDays == nil && window.from == nil && window.to == nil ? nil : window
    }

    private static func conditions(_ value: JSONValue, _ reader: inout ConfigReader) -> [RespondentCondition] {
        let list = value.arrayValue ?? [value]
        if list.isEmpty { reader.fail("measure.condition", "must not be empty") }
        return list.enumerated().compactMap { index, entry in
            let path = value.arrayValue == nil ? "measure.condition" : "measure.condition[\(index)]"
            guard let object = reader.object(entry, at: path, allowed: ["column", "op", "value", "values"]),
                let column = reader.string(object, "column", at: path)
            else { return nil }
            var values: [JSONValue] = []
            if let single = object["value"] { values.append(single) }
            if let many = object["values"] {
                guard let array = many.arrayValue, !array.isEmpty else {
                    reader.fail("\(path).values", "must be a non-empty array")
                    return nil
                }
                values += array
            }
            if values.contains(where: { $0.isNull || $0.arrayValue != nil || $0.objectValue != nil }) {
                reader.fail(path, "values must be strings, numbers or booleans (use op is_null for missing values)")
                return nil
            }
            let opText = reader.optionalString(object, "op", at: path) ?? (object["values"] != nil ? "in" : "=")
            guard let op = RespondentCondition.Operator(rawValue: opText.lowercased() == "==" ? "=" : opText.lowercased()) else {
                let ops = RespondentCondition.Operator.allCases.map(\.rawValue).joined(separator: ", ")
                reader.fail("\(path).op", "'\(opText)' is not one of: \(ops)")
                return nil
            }
            switch op.arity {
            case 0 where !values.isEmpty: reader.fail(path, "\(op.rawValue) takes no value")
            case 1 where values.count != 1: reader.fail(path, "\(op.rawValue) takes exactly one value")
            case nil where values.isEmpty: reader.fail(path, "\(op.rawValue) takes values")
            default: break
            }
            return RespondentCondition(column: column, op: op, values: values)
        }
    }

    /// `{"key": "value" | ["values"]}` as string lists.
    static func stringLists(_ value: JSONValue?, at path: String, _ reader: inout ConfigReader) -> [String: [String]] {
        guard let value, !value.isNull else { return [:] }
        guard let map = value.objectValue else {
            reader.fail(path, "must be an object mapping dimensions to values")
            return [:]
        }
        var result: [String: [String]] = [:]
        for (key, entry) in map {
            let list = entry.arrayValue ?? [entry]
            if list.isEmpty { reader.fail("\(path).\(key)", "must list at least one value") }
            result[key] = list.enumerated().compactMap { index, element in reader.text(element, at: "\(path).\(key)[\(index)]", numbers: true) }
        }
        return result
    }
}
