import AnalyticsCore
import SQLGuard

/// The weighting checks on free SQL (`execute_sql`, plan `sql` steps), shaped as a query-engine
/// inspector: `(SQLAnalysis, Dataset, QueryRequest) throws -> [QueryWarning]`.
///
/// - `UNWEIGHTED_AGGREGATE`: from the parse tree (``SQLAnalysis/unweightedAggregates(respondentTable:weightColumn:)``),
///   aggregates that summarize respondents — directly or through a join, subquery or `WITH` query —
///   without the weight column. Under the dataset's `warn` policy the result carries a warning with
///   a corrected example; under `block` the query is refused with the same guidance.
/// - `persona`: recorded with the query, never used to rewrite it. When it resolves, the result
///   carries a `PERSONA_NOT_APPLIED` note spelling out the filter (raw values, merges expanded) to
///   add; when it does not, an `UNKNOWN_PERSONA` warning listing the valid values.
///
/// Datasets without a weighting config pass untouched.
public enum WeightingInspector {
    public static func inspect(_ analysis: SQLAnalysis, _ dataset: Dataset, _ request: QueryRequest) throws -> [QueryWarning] {
        guard let document = dataset.weighting, !document.isNull, let config = try? WeightingConfig(document: document) else { return [] }
        var warnings: [QueryWarning] = []
        let table = QualifiedName(schema: config.schema, name: config.respondentTable)
        let unweighted = analysis.unweightedAggregates(respondentTable: table, weightColumn: config.weightColumn)
        if !unweighted.isEmpty {
            let (message, hint, details) = Self.describe(unweighted, config: config)
            if config.unweightedPolicy == .block {
                throw AnalyticsError(.unweightedAggregate, message, hint: hint, details: details)
            }
            warnings.append(QueryWarning(code: ErrorCode.unweightedAggregate.rawValue, message: message, hint: hint))
        }
        if let persona = request.persona, !PersonaText.normalized(persona).isEmpty {
            warnings.append(Self.personaNote(persona, config: config))
        }
        return warnings
    }

    static func describe(_ calls: [AggregateCall], config: WeightingConfig) -> (String, String, JSONValue) {
        let w = Self.name(config.weightColumn)
        let listed = calls.map { "\(Self.written($0)) at \($0.location)" }
        let message =
            "\(listed.joined(separator: ", ")) summarize\(calls.count == 1 ? "s" : "") \(config.respondentTable) without the weight column \(w): "
            + "unweighted figures misstate the population."
        var fixes: [String] = []
        for call in calls {
            let x = call.columns.compactMap(\.name).first { $0 != config.weightColumn }.map(Self.name) ?? "x"
            let fix: String
            switch call.name {
            case "count": fix = "\(Self.written(call)) → sum(\(w)) for the weighted count (keep count(*) beside it as the unweighted base n)"
            case "avg": fix = "avg(\(x)) → sum(\(w) * \(x)) / sum(\(w))"
            case "sum": fix = "sum(\(x)) → sum(\(w) * \(x))"
            default: fix = "\(Self.written(call)) → weight each row by \(w)"
            }
            if !fixes.contains(fix) { fixes.append(fix) }
        }
        let example =
            "SELECT r.\(Self.name(config.dimensions.first?.column ?? "segment")), count(*) AS n, sum(r.\(w)) AS weighted_base "
            + "FROM \(Self.name(config.respondentTable)) r GROUP BY 1"
        let hint =
            "Weight it: \(fixes.joined(separator: "; ")). Example: \(example). Or call weighted_breakdown, which weights, merges and applies base rules for you."
        let details: JSONValue = .object([
            "aggregates": .array(
                calls.map {
                    .object(["function": .string($0.name), "line": .int(Int64($0.location.line)), "column": .int(Int64($0.location.column))])
                }
            ),
            "weight_column": .string(config.weightColumn),
            "respondent_table": .string(config.respondentTable),
            "example": .string(example),
        ])
        return (message, hint, details)
    }

    static func personaNote(_ persona: String, config: WeightingConfig) -> QueryWarning {
        do {
            guard let segment = try PersonaParser(config: config).resolve(persona) else {
                return QueryWarning(code: "PERSONA_NOT_APPLIED", message: "The persona is empty.")
            }
            let conditions = config.dimensions.compactMap { dimension -> String? in
                guard let values = segment.filters[dimension.column] else { return nil }
                let raw = values.flatMap { [$0] + dimension.mergedSources(of: $0) }
                let quoted = raw.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }
                let column = Self.name(dimension.column)
                return quoted.count == 1 ? "\(column) = \(quoted[0])" : "\(column) IN (\(quoted.joined(separator: ", ")))"
            }
            let filter = conditions.isEmpty ? "no filter (everyone)" : "WHERE " + conditions.joined(separator: " AND ")
            return QueryWarning(
                code: "PERSONA_NOT_APPLIED",
                message: "Persona '\(segment.label)' is recorded with this query; free SQL is not rewritten to match it.",
                hint: "To restrict the query to it, add: \(filter) — or use weighted_breakdown with persona '\(persona)'."
            )
        } catch let error as AnalyticsError {
            return QueryWarning(code: error.code.rawValue, message: error.message, hint: error.hint)
        } catch {
            return QueryWarning(code: ErrorCode.unknownPersona.rawValue, message: "The persona could not be read.")
        }
    }

    /// `count(*)`, `avg(x)`: how the call reads in messages.
    static func written(_ call: AggregateCall) -> String {
        if call.isStar { return "\(call.name)(*)" }
        return "\(call.name)(\(call.columns.compactMap(\.name).first.map(Self.name) ?? "…"))"
    }

    /// A column or table name as SQL text: bare when it reads the same unquoted, else quoted.
    static func name(_ identifier: String) -> String {
        let simple =
            identifier.first.map { $0.isLowercase || $0 == "_" } == true
            && identifier.allSatisfy { ($0.isLowercase || $0.isNumber || $0 == "_") && $0.isASCII }
        return simple ? identifier : ((try? SQLIdentifier.quote(identifier)) ?? identifier)
    }
}
