/// One demo table: columns with their types in both databases, keys, indexes and descriptions.
///
/// The same definition drives the SQLite writer, the PostgreSQL loader and the data dictionary, so
/// the two databases cannot drift apart.
public struct DemoTableDefinition: Sendable, Hashable {
    public struct Column: Sendable, Hashable {
        public var name: String
        public var postgresType: String
        /// The declared SQLite type; it sets the column's affinity and tells readers what it holds.
        public var sqliteType: String
        public var description: String
    }

    public struct ForeignKey: Sendable, Hashable {
        public var column: String
        public var referencedTable: String
        public var referencedColumn: String

        /// Constraint name, the same in both databases.
        public var name: String
    }

    public struct Index: Sendable, Hashable {
        public var name: String
        public var columns: [String]
    }

    public var name: String
    public var description: String
    public var columns: [Column]
    public var primaryKey: String
    public var foreignKeys: [ForeignKey]
    public var indexes: [Index]

    public var columnNames: [String] { self.columns.map(\.name) }
}
