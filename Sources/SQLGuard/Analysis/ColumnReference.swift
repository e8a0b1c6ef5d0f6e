/// A column named in the query, with the FROM-clause item it comes from when that can be told
/// from the query alone.
public struct ColumnReference: Sendable, Hashable {
    /// The qualifier as written and folded: `[]`, `["r"]` or `["public", "respondents"]`.
    public var qualifier: [String]
    /// The column name, or `nil` for `*` / `r.*`.
    public var name: String?
    public var location: SQLLocation
    /// The query level (a `SELECT`, set operation or `VALUES`) the reference belongs to; 0 is the
    /// top-level query.
    public var queryLevel: Int
    /// Where the column comes from: resolved through the FROM-clause aliases of its query level
    /// and the levels around it, or `nil` when an unqualified name has several candidates.
    public var source: ColumnSource?

    public init(qualifier: [String], name: String?, location: SQLLocation, queryLevel: Int, source: ColumnSource? = nil) {
        self.qualifier = qualifier
        self.name = name
        self.location = location
        self.queryLevel = queryLevel
        self.source = source
    }

    /// The base relation the column is read from, when its source is one.
    public var relation: QualifiedName? {
        if case .relation(let relation) = self.source { return relation }
        return nil
    }
}

/// The FROM-clause item a column reference resolves to.
public enum ColumnSource: Sendable, Hashable {
    /// A table, view or foreign table.
    case relation(QualifiedName)
    /// A `WITH` query, by name.
    case commonTableExpression(String)
    /// A subquery in FROM, by alias.
    case subquery(alias: String?)
    /// A function in FROM (`generate_series(…) g`), by alias.
    case function(alias: String?)
    /// An aliased join, `(a JOIN b) AS j`.
    case join(alias: String)
}
