import AnalyticsCore
import DataPlane

/// What the profiler read about one table, before detection and masking turn it into a
/// ``TableProfile``.
struct TableStatistics: Sendable {
    /// Numbers about one column, computed over the plan's rows.
    struct Column: Sendable {
        var nonNull: Int64 = 0
        var min: JSONValue?
        var max: JSONValue?
        var mean: Double?
        var meanOfSquares: Double?
        var quantiles: [String: Double]?
        /// Most frequent values with their counts, most frequent first.
        var top: [(value: JSONValue, count: Int64)] = []
        var distinctInSample: Int64?
        var singletonsInSample: Int64?
        /// Non-null values read for format and personal-data detection (text columns).
        var probe: [JSONValue] = []
        /// Whether the statistics statements for this column ran at all.
        var measured = false
    }

    var table: CatalogTable
    var rowCount: Int64
    var rowCountExact: Bool
    var plan: SamplePlan
    /// Rows the statistics were computed on (`count(*)` over the plan's rows).
    var profiledRows: Int64 = 0
    var columns: [String: Column] = [:]
    var sampleRows: RawRows?
    var warnings: [String] = []
}
