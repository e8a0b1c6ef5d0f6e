/// The answer to a breakdown: one row per group in display order, the overall segment when
/// grouped, and what was resolved along the way (persona, window) so the caller can check it.
public struct BreakdownResult: Sendable, Hashable {
    public var datasetID: String
    public var measure: BreakdownMeasure.Kind
    /// The measure as the narratives word it.
    public var wording: MeasureWording
    public var persona: PersonaSegment?
    /// `by` as dimension columns.
    public var by: [String]
    public var window: ResolvedWindow?
    public var minBase: Int
    public var cautionBase: Int
    public var rows: [BreakdownRow]
    /// The whole segment, when `by` is not empty.
    public var overall: BreakdownRow?
    public var warnings: [QueryWarning]
    /// The SQL the server built and ran (values bound, not inlined).
    public var sql: String
    public var queryID: String
    public var elapsedMs: Double

    public init(
        datasetID: String,
        measure: BreakdownMeasure.Kind,
        wording: MeasureWording,
        persona: PersonaSegment?,
        by: [String],
        window: ResolvedWindow?,
        minBase: Int,
        cautionBase: Int,
        rows: [BreakdownRow],
        overall: BreakdownRow?,
        warnings: [QueryWarning] = [],
        sql: String,
        queryID: String,
        elapsedMs: Double
    ) {
        self.datasetID = datasetID
        self.measure = measure
        self.wording = wording
        self.persona = persona
        self.by = by
        self.window = window
        self.minBase = minBase
        self.cautionBase = cautionBase
        self.rows = rows
        self.overall = overall
        self.warnings = warnings
        self.sql = sql
        self.queryID = queryID
        self.elapsedMs = elapsedMs
    }

    /// The wire document (snake_case), as `POST /api/breakdown` and `weighted_breakdown` return it.
    public var document: JSONValue {
        .object([
            "dataset_id": .string(self.datasetID),
            "measure": .string(self.measure.rawValue),
            "measure_label": .string(self.measure == .share ? self.wording.predicate : self.wording.subject + self.wording.context),
            "persona": self.persona?.document ?? .null,
            "by": .array(self.by.map(JSONValue.string)),
            "window": self.window?.document ?? .null,
            "min_base": .int(Int64(self.minBase)),
            "caution_base": .int(Int64(self.cautionBase)),
            "rows": .array(self.rows.map(\.document)),
            "overall": self.overall?.document ?? .null,
            "narrative": .array((self.rows + (self.overall.map { [$0] } ?? [])).map { .string($0.narrative) }),
            "warnings": .array(
                self.warnings.map { warning in
                    .object(["code": .string(warning.code), "message": .string(warning.message), "hint": warning.hint.map(JSONValue.string) ?? .null])
                }
            ),
            "sql": .string(self.sql),
            "query_id": .string(self.queryID),
            "elapsed_ms": .double(self.elapsedMs),
        ])
    }

    /// A short text rendering: one narrative per line, for MCP text content and the CLI.
    public var text: String {
        var lines = self.rows.map(\.narrative)
        if let overall { lines.append("Overall: " + overall.narrative) }
        lines += self.warnings.map { "Warning (\($0.code)): \($0.message)" }
        return lines.joined(separator: "\n")
    }
}
