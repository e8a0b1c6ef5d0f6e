/// A `weighted_breakdown` request (MCP tool, `POST /api/breakdown`, a `breakdown` plan step).
///
/// JSON shape (snake_case):
/// ```json
/// {"dataset_id": "demo",
///  "measure": {"type": "share", "reach": {"table": "tv_viewing", "filters": {"genre": ["Sports"]}, "last_days": 90}},
///  "by": ["region"], "persona": "Female 25-34 NCCS A", "filters": {"city_tier": ["Metro"]},
///  "reference_date": "2026-03-02"}
/// ```
/// `measure` is `{"type": "share"|"mean"|"total"|"per_user", "label"?, "condition"?, "column"?,
/// "reach"?|"events"?}` (see ``BreakdownMeasure``); an event selection is `{"table",
/// "aggregation"?: "sum"|"avg"|"count", "column"?, "filters"?, "last_days"?|"from"?/"to"?}`; a
/// condition is `{"column", "op"?, "value"?|"values"?}` or an array of them. "Last N days" ends on
/// `reference_date`, by default the latest day in the event table's time column.
public struct BreakdownRequest: Sendable, Hashable {
    public var datasetID: String
    public var measure: BreakdownMeasure
    /// Dimensions to break down by (columns, labels or aliases), after merges.
    public var by: [String]
    /// A stored persona's name or label, or free text.
    public var persona: String?
    /// Dimension → accepted values (values, labels or aliases), narrowing the persona.
    public var filters: [String: [String]]
    /// The day "last N days" ends on.
    public var referenceDate: BreakdownDay?

    public init(
        datasetID: String,
        measure: BreakdownMeasure,
        by: [String] = [],
        persona: String? = nil,
        filters: [String: [String]] = [:],
        referenceDate: BreakdownDay? = nil
    ) {
        self.datasetID = datasetID
        self.measure = measure
        self.by = by
        self.persona = persona
        self.filters = filters
        self.referenceDate = referenceDate
    }

    public static let documentKeys = ["dataset_id", "measure", "by", "persona", "filters", "reference_date"]
    /// Most dimensions one breakdown may cross (each adds a factor to the number of rows).
    public static let maximumDimensions = 4
    /// Longest "last N days" window (100 years).
    public static let maximumDays = 36_600
}
