/// A table of events per respondent (viewing sessions, purchases) that breakdowns can measure:
/// reach (at least one event) and per-respondent sums, counts and averages of its measures.
///
/// Only the columns named here can be measured or filtered through `weighted_breakdown`, so the
/// config is also the allow-list for server-built SQL on the table.
public struct EventTableConfig: Sendable, Hashable {
    /// How the table's time column stores time; decides how a date window compares.
    public enum TimeType: String, Sendable, Hashable, CaseIterable {
        case date
        case timestamp
    }

    /// A per-respondent aggregate of an event measure.
    public enum Aggregation: String, Sendable, Hashable, CaseIterable {
        case sum
        case avg
        case count
    }

    /// A numeric column of the event table.
    public struct Measure: Sendable, Hashable {
        public var column: String
        public var label: String
        /// Unit shown after values in narratives ("minutes", "INR"); nil for plain numbers.
        public var unit: String?
        public var aggregations: [Aggregation]

        public init(column: String, label: String? = nil, unit: String? = nil, aggregations: [Aggregation] = Aggregation.allCases) {
            self.column = column
            self.label = label ?? column
            self.unit = unit
            self.aggregations = aggregations
        }
    }

    public var table: String
    public var label: String
    /// The column holding the respondent key (``WeightingConfig/respondentKey`` values).
    public var respondentKey: String
    /// Column date windows apply to; without it the table takes no window.
    public var timeColumn: String?
    public var timeType: TimeType
    public var measures: [Measure]
    /// Columns a breakdown may filter events on (`genre`, `category`…).
    public var filterColumns: [String]

    public init(
        table: String,
        label: String? = nil,
        respondentKey: String,
        timeColumn: String? = nil,
        timeType: TimeType = .timestamp,
        measures: [Measure] = [],
        filterColumns: [String] = []
    ) {
        self.table = table
        self.label = label ?? table
        self.respondentKey = respondentKey
        self.timeColumn = timeColumn
        self.timeType = timeType
        self.measures = measures
        self.filterColumns = filterColumns
    }

    /// The measure on `column` (exact, then by case-insensitive column or label).
    public func measure(named name: String) -> Measure? {
        if let exact = self.measures.first(where: { $0.column == name }) { return exact }
        let key = PersonaText.normalized(name)
        return self.measures.first { PersonaText.normalized($0.column) == key || PersonaText.normalized($0.label) == key }
    }
}
