/// A call of an aggregate function (not a window function) and the columns it reads.
public struct AggregateCall: Sendable, Hashable {
    /// The function as written and folded, e.g. `count` or `pg_catalog.sum`.
    public var function: QualifiedName
    public var location: SQLLocation
    /// The query level the aggregate summarizes (see ``ColumnReference/queryLevel``).
    public var queryLevel: Int
    /// `count(*)`.
    public var isStar: Bool
    /// Columns read by the arguments, `FILTER`, `WITHIN GROUP` and aggregate `ORDER BY`, resolved
    /// like every other ``ColumnReference``; columns of subqueries inside the call are not included.
    public var columns: [ColumnReference]

    public init(function: QualifiedName, location: SQLLocation, queryLevel: Int, isStar: Bool, columns: [ColumnReference]) {
        self.function = function
        self.location = location
        self.queryLevel = queryLevel
        self.isStar = isStar
        self.columns = columns
    }

    /// The function's own name, lower case.
    public var name: String { self.function.name.lowercased() }

    /// Whether the aggregate summarizes the rows it sees into a statistic (counts, sums, means,
    /// spreads, quantiles, modes, regressions, hypothetical ranks), which is what survey weights
    /// change. Picking or collecting aggregates (`min`, `max`, `bool_and`, `string_agg`,
    /// `array_agg`, `json_agg`, …) return the same answer weighted or not.
    public var isSummarizing: Bool { AggregateCatalog.summarizing.contains(self.name) }
}
