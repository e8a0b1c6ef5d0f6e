import AnalyticsCore

/// A table or view as the database catalogue describes it, before any statistics.
struct CatalogTable: Sendable, Hashable {
    struct Column: Sendable, Hashable {
        var name: String
        /// The database's type name.
        var type: String
        var kind: ColumnKind
        var nullable: Bool
        var comment: String?
        /// PostgreSQL's own distinct estimate from `ANALYZE` (`pg_stats.n_distinct`: a count, or
        /// minus a fraction of the rows); computed on random rows, so better than a page sample.
        var catalogueDistinct: Double? = nil
    }

    /// How rows can be sampled cheaply.
    enum Access: Sendable, Hashable {
        /// A PostgreSQL table or materialized view: `TABLESAMPLE` works.
        case pages
        /// A SQLite rowid table: contiguous rowid ranges can be read by seeking.
        case rowid
        /// Views and everything else: only the first rows (`LIMIT`).
        case scan
    }

    var schema: String?
    var name: String
    var kind: TableProfile.Kind
    var comment: String?
    var columns: [Column]
    var primaryKey: [String]
    var foreignKeys: [ForeignKey]
    var access: Access
    /// `pg_class.reltuples` when the table has been analysed.
    var catalogueRows: Double?

    /// `schema.name`, or `name` when there is no schema or it is `public` (as ``TableProfile``).
    var qualifiedName: String {
        guard let schema, schema != "public" else { return self.name }
        return "\(schema).\(self.name)"
    }

    /// The quoted name to use in SQL.
    func quotedName() throws -> String {
        try SQLIdentifier.quote(qualified: [self.schema, self.name].compactMap { $0 })
    }
}
