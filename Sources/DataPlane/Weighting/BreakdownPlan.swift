import AnalyticsCore

/// A breakdown request checked against the weighting config and resolved into what the SQL needs:
/// the segment's dimension filters, the `by` dimensions, the measure's event table and column.
public struct BreakdownPlan: Sendable, Hashable {
    /// A respondent condition with its values resolved (reported values on dimension columns).
    public struct Condition: Sendable, Hashable {
        public var column: String
        /// The dimension when `column` is one: the condition then reads reported (merged) values.
        public var dimension: WeightingDimension?
        public var op: RespondentCondition.Operator
        public var values: [JSONValue]
    }

    public var config: WeightingConfig
    public var datasetID: String
    public var measure: BreakdownMeasure
    /// Persona and filters combined; nil means every respondent.
    public var segment: PersonaSegment?
    public var by: [WeightingDimension]
    public var conditions: [Condition]
    /// For `mean`/`total` of a respondent column.
    public var column: String?
    public var eventTable: EventTableConfig?
    public var events: EventSelection?
    /// The day "last N days" ends on, when the request gives one.
    public var referenceDate: BreakdownDay?

    /// Respondent columns the measure reads that are not dimensions (checked against the live table).
    public var rawRespondentColumns: [String] {
        (self.conditions.filter { $0.dimension == nil }.map(\.column) + [self.column].compactMap { $0 })
    }

    /// Whether a relative window still needs its reference day.
    public var needsReferenceDate: Bool {
        self.referenceDate == nil && (self.events?.window?.isRelative ?? false)
    }
}
