import AnalyticsCore

/// The SQL dialect of a dataset's database, for the few places server-built SQL differs.
///
/// Breakdown SQL is written in the common subset (CTEs, `CASE`, `CAST(… AS TEXT)`,
/// `CAST(… AS DOUBLE PRECISION)`, `$n` parameters); the dialect decides only how live-schema checks
/// read types and how parameters carry typed values.
public enum SQLDialect: String, Sendable, Hashable {
    case postgres
    case sqlite

    public init(_ kind: ConnectionURL.Kind) {
        switch kind {
        case .postgres: self = .postgres
        case .sqlite: self = .sqlite
        }
    }
}
