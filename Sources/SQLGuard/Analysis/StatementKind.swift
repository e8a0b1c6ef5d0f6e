/// The kinds of statement the guard lets through.
public enum StatementKind: String, Sendable, Hashable, Codable {
    /// A query: `SELECT`, `WITH … SELECT`, `VALUES`, `TABLE` or a set operation of them.
    case select
    /// `EXPLAIN` (without `ANALYZE`) of such a query; it returns a plan, not data.
    case explain
}
