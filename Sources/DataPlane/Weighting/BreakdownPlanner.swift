import AnalyticsCore

/// Checks a ``BreakdownRequest`` against a dataset's ``WeightingConfig`` and resolves it into a
/// ``BreakdownPlan``. Everything a client can get wrong is a coded error naming the valid choices:
/// `UNKNOWN_PERSONA`/`AMBIGUOUS_PERSONA` for personas, `INVALID_REQUEST` for dimensions, tables,
/// columns, filters and windows the config does not declare. The config is the allow-list: event
/// tables, their measure and filter columns, and dimensions are the only names breakdown SQL reads
/// besides respondent columns a condition or mean names (checked against the live table later).
public struct BreakdownPlanner: Sendable {
    public let config: WeightingConfig
    public let parser: PersonaParser

    public init(config: WeightingConfig) {
        self.config = config
        self.parser = PersonaParser(config: config)
    }

    public func plan(_ request: BreakdownRequest) throws -> BreakdownPlan {
        let by = try request.by.map { try self.parser.dimension($0, role: "by") }
        guard Set(by.map(\.column)).count == by.count else {
            throw AnalyticsError.invalidRequest("`by` names the same dimension twice.", hint: "List each dimension once.")
        }
        let persona = try self.parser.resolve(request.persona)
        let filters = try self.parser.resolveFilters(request.filters)
        let segment = try self.parser.combine(persona, filters: filters)
        let measure = request.measure
        var eventTable: EventTableConfig?
        if let events = measure.events {
            eventTable = try self.checkEvents(events, kind: measure.kind)
        }
        if let column = measure.column {
            try self.checkRespondentColumn(column)
            if self.config.dimension(named: column) != nil {
                throw AnalyticsError.invalidRequest(
                    "'\(column)' is a persona dimension, not a numeric respondent column.",
                    hint: "Break down by it with `by`, or measure a share with a condition on it."
                )
            }
        }
        let conditions = try measure.conditions.map(self.condition)
        return BreakdownPlan(
            config: self.config,
            datasetID: request.datasetID,
            measure: measure,
            segment: segment,
            by: by,
            conditions: conditions,
            column: measure.column,
            eventTable: eventTable,
            events: measure.events,
            referenceDate: request.referenceDate
        )
    }

    func checkEvents(_ events: EventSelection, kind: BreakdownMeasure.Kind) throws -> EventTableConfig {
        guard let table = self.config.eventTable(named: events.table) else {
            let known = self.config.eventTables.map(\.table)
            throw AnalyticsError(
                .invalidRequest,
                "'\(events.table)' is not an event table of this dataset's weighting config.",
                hint: known.isEmpty ? "The weighting config declares no event tables." : "Use one of: \(known.joined(separator: ", ")).",
                details: .object(["event_tables": .array(known.map(JSONValue.string))])
            )
        }
        for name in events.filters.keys.sorted() where !table.filterColumns.contains(name) {
            throw AnalyticsError(
                .invalidRequest,
                "'\(name)' is not a filter column of \(table.table).",
                hint: table.filterColumns.isEmpty
                    ? "The weighting config lists no filter columns for \(table.table)."
                    : "Filter on: \(table.filterColumns.joined(separator: ", ")).",
                details: .object(["filter_columns": .array(table.filterColumns.map(JSONValue.string))])
            )
        }
        if events.window != nil, table.timeColumn == nil {
            throw AnalyticsError.invalidRequest(
                "\(table.table) has no time column in the weighting config, so it takes no date window.",
                hint: "Drop last_days/from/to, or declare time_column for the table."
            )
        }
        if kind != .share, let aggregation = events.aggregation {
            if let column = events.column {
                guard let measure = table.measure(named: column) else {
                    throw AnalyticsError.invalidRequest(
                        "'\(column)' is not a measure of \(table.table).",
                        hint: "Measures: \(table.measures.map(\.column).joined(separator: ", "))."
                    )
                }
                guard measure.aggregations.contains(aggregation) else {
                    throw AnalyticsError.invalidRequest(
                        "\(aggregation.rawValue) is not allowed for \(table.table).\(measure.column).",
                        hint: "Allowed: \(measure.aggregations.map(\.rawValue).joined(separator: ", "))."
                    )
                }
            } else if aggregation != .count {
                throw AnalyticsError.invalidRequest("\(aggregation.rawValue) needs a measure column.", hint: "Give events.column.")
            }
        }
        return table
    }

    func condition(_ condition: RespondentCondition) throws -> BreakdownPlan.Condition {
        guard let dimension = self.config.dimension(named: condition.column) else {
            try self.checkRespondentColumn(condition.column)
            return BreakdownPlan.Condition(column: condition.column, dimension: nil, op: condition.op, values: condition.values)
        }
        let categorical: [RespondentCondition.Operator] = [.equal, .notEqual, .isIn, .notIn, .isNull, .notNull]
        guard categorical.contains(condition.op) else {
            throw AnalyticsError.invalidRequest(
                "\(dimension.label) is a category: '\(condition.op.rawValue)' does not apply.",
                hint: "Use =, !=, in, not_in, is_null or not_null."
            )
        }
        let values = try condition.values.map { value -> JSONValue in
            guard let text = value.stringValue ?? value.intValue.map({ String($0) }) else {
                throw AnalyticsError.invalidRequest("Values of \(dimension.label) are text.", hint: "Quote the value.")
            }
            return .string(try self.parser.resolveValue(text, in: dimension))
        }
        return BreakdownPlan.Condition(column: dimension.column, dimension: dimension, op: condition.op, values: values)
    }

    func checkRespondentColumn(_ column: String) throws {
        guard column != self.config.respondentKey else {
            throw AnalyticsError.invalidRequest("The respondent key is an identifier, not a value to measure.")
        }
        _ = try SQLIdentifier.quote(column)
    }
}
