/// What the guard learned about an accepted statement.
///
/// Everything comes from one parse and one walk of the tree. For `EXPLAIN`, the structural
/// properties (relations, functions, aggregation, limit, aggregate calls) describe the explained
/// query; ``isExplain`` tells the caller the rows will be a plan rather than data.
public struct SQLAnalysis: Sendable, Hashable {
    public var statementKind: StatementKind
    /// The caller's text up to the end of its one statement, without a terminating semicolon and
    /// whatever follows it: what a connector can embed in a larger statement (a row-capping
    /// `SELECT … LIMIT`) while error positions still point into the caller's text.
    public var statementSQL: String
    /// The statement with constants replaced by `$1`, `$2`, … (`pg_query_normalize`), for logs.
    public var normalizedSQL: String
    /// `pg_query_fingerprint` as 16 hex digits: the same for queries that differ only in constants,
    /// comments or layout, different for different shapes. Cache keys and log grouping use it.
    public var fingerprint: String
    /// Every table, view or foreign table read, once each, in order of first appearance. Names of
    /// `WITH` queries are not relations.
    public var relations: [QualifiedName]
    /// Every function called, once each, in order of first appearance.
    public var functions: [QualifiedName]
    /// Whether the top-level query returns summaries rather than table rows.
    ///
    /// The rule: a query level is aggregated when it has `GROUP BY` (grouping sets too), `HAVING`,
    /// plain `DISTINCT`, or an aggregate call of its own (target list, `HAVING`, `ORDER BY`), so
    /// `SELECT count(*) FROM t` is aggregated. A set operation is aggregated when every arm is. A
    /// level with none of these is aggregated when it reads at least one FROM item and every item
    /// is an aggregated subquery or `WITH` query (`SELECT * FROM (SELECT … GROUP BY …) s`).
    /// Window functions alone, `DISTINCT ON` (one whole row per key), `VALUES`, set-returning
    /// functions, queries without FROM and aggregates that sit only in scalar subqueries do not
    /// make a level aggregated. Aggregates are recognised by aggregate-only syntax or a built-in
    /// aggregate's name (user-defined aggregates called plainly are not).
    public var isAggregated: Bool
    /// Whether the top-level query has a `LIMIT` / `FETCH FIRST` (not `LIMIT ALL`).
    public var hasTopLevelLimit: Bool
    /// The top-level row limit when it is a literal and a bound (not `WITH TIES`).
    public var topLevelLimit: Int64?
    /// Every aggregate call at every level, in text order.
    public var aggregateCalls: [AggregateCall]
    /// Every column reference at every level, in text order.
    public var columnReferences: [ColumnReference]
    /// The statement's parse tree (the `SelectStmt` or `ExplainStmt` node), for later analyses.
    public var parseTree: ParseNode

    var graph: QueryGraph

    public var isExplain: Bool { self.statementKind == .explain }
}
