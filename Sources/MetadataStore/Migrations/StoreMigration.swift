/// One named, ordered schema change.
///
/// Each backend keeps its own ordered list (``SQLiteMigrations/all``, ``PostgresMigrations/all``) with
/// the same names in the same order. A store applies each pending migration in its own transaction
/// and records its name in `schema_migrations`, so `migrate()` is idempotent and later work only
/// appends: never edit or reorder a migration that has shipped.
public struct StoreMigration: Sendable, Hashable {
    /// Unique and sortable, e.g. `0001_registry`.
    public let name: String
    /// Statements run in order inside the migration's transaction (constant SQL, no parameters).
    public let statements: [String]

    public init(name: String, statements: [String]) {
        self.name = name
        self.statements = statements
    }
}
