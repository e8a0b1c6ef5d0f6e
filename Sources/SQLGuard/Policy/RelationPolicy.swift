/// System catalogs and views a query may not read, whatever the login's privileges.
///
/// Denying the functions that read server files or other sessions is not enough when the same
/// facts sit in catalog views: `pg_authid`/`pg_shadow` hold password hashes, `pg_user_mappings` and
/// `pg_subscription` connection secrets, `pg_hba_file_rules`/`pg_file_settings` server files,
/// `pg_stat_activity` and `pg_stat_statements` the statements of other sessions. A dataset login
/// normally cannot read most of them; a privileged one can, and the guard refuses them either way.
/// Names match in `pg_catalog` (or unqualified, which PostgreSQL resolves there first unless a
/// `WITH` query of the same name shadows them), `information_schema` for its two user-mapping views,
/// and any schema for `pg_stat_statements` (an extension's view).
public struct RelationPolicy: Sendable, Hashable {
    /// Why a relation is refused; the text goes into the error message.
    public enum Category: String, Sendable, Hashable, CaseIterable {
        case credentials = "holds password hashes or connection secrets"
        case serverFiles = "shows the database server's configuration files"
        case otherSessions = "shows other sessions' statements or connections"
        case largeObjects = "holds the contents of large objects"
        case sampledValues = "holds sampled values of every table's columns"

        /// What to do instead, for the error's hint.
        public var hint: String {
            "Query the dataset's own tables and views; list them with describe_dataset or information_schema.tables."
        }
    }

    let catalog: [String: Category]
    let informationSchema: [String: Category]
    let anySchema: [String: Category]

    /// The reviewed list (PostgreSQL 15).
    public static let `default` = RelationPolicy(
        catalog: [
            "pg_authid": .credentials, "pg_shadow": .credentials, "pg_user_mapping": .credentials,
            "pg_user_mappings": .credentials, "pg_subscription": .credentials,
            "pg_hba_file_rules": .serverFiles, "pg_ident_file_mappings": .serverFiles, "pg_file_settings": .serverFiles,
            "pg_config": .serverFiles,
            "pg_stat_activity": .otherSessions, "pg_stat_replication": .otherSessions, "pg_stat_wal_receiver": .otherSessions,
            "pg_stat_subscription": .otherSessions,
            "pg_largeobject": .largeObjects,
            "pg_statistic": .sampledValues, "pg_statistic_ext_data": .sampledValues,
        ],
        informationSchema: ["user_mapping_options": .credentials, "user_mappings": .credentials],
        anySchema: ["pg_stat_statements": .otherSessions]
    )

    /// The reason `relation` is refused, or nil when it may be read.
    public func denial(for relation: QualifiedName) -> Category? {
        if let category = self.anySchema[relation.name] { return category }
        switch relation.schema {
        case nil, "pg_catalog"?: return self.catalog[relation.name]
        case "information_schema"?: return self.informationSchema[relation.name]
        default: return nil
        }
    }
}
