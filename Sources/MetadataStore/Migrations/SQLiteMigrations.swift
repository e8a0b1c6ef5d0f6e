/// The SQLite schema, as ordered migrations (see ``StoreMigration``).
///
/// JSON lives in TEXT, times in TEXT as UTC ISO 8601 with milliseconds (sortable), ciphertext in
/// BLOB. Query-log dataset membership has a side table so the dataset filter can use an index.
public enum SQLiteMigrations {
    public static let all: [StoreMigration] = [registry, profiles]

    static let registry = StoreMigration(
        name: "0001_registry",
        statements: [
            """
            CREATE TABLE datasets (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                description TEXT NOT NULL,
                state TEXT NOT NULL,
                tags TEXT NOT NULL,
                owner TEXT,
                default_persona TEXT,
                connection_kind TEXT NOT NULL,
                redacted_url TEXT NOT NULL,
                settings TEXT NOT NULL,
                weighting TEXT,
                metadata TEXT,
                warnings TEXT NOT NULL,
                version INTEGER NOT NULL,
                ever_approved INTEGER NOT NULL,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX datasets_state_idx ON datasets (state)",
            """
            CREATE TABLE dataset_versions (
                dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
                version INTEGER NOT NULL,
                author TEXT NOT NULL,
                note TEXT,
                at TEXT NOT NULL,
                snapshot TEXT NOT NULL,
                PRIMARY KEY (dataset_id, version)
            )
            """,
            """
            CREATE TABLE dataset_transitions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
                from_state TEXT NOT NULL,
                to_state TEXT NOT NULL,
                actor TEXT NOT NULL,
                note TEXT,
                at TEXT NOT NULL
            )
            """,
            "CREATE INDEX dataset_transitions_dataset_idx ON dataset_transitions (dataset_id, id)",
            """
            CREATE TABLE dataset_secrets (
                dataset_id TEXT PRIMARY KEY NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
                key_id TEXT NOT NULL,
                ciphertext BLOB NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE api_tokens (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                role TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                created_at TEXT NOT NULL,
                last_used_at TEXT,
                revoked_at TEXT
            )
            """,
            """
            CREATE TABLE jobs (
                id TEXT PRIMARY KEY NOT NULL,
                kind TEXT NOT NULL,
                dataset_id TEXT,
                payload TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                max_attempts INTEGER NOT NULL,
                run_after TEXT NOT NULL,
                lease_owner TEXT,
                lease_expires_at TEXT,
                progress INTEGER NOT NULL,
                message TEXT,
                result TEXT,
                error TEXT,
                cancel_requested INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX jobs_claim_idx ON jobs (state, run_after)",
            "CREATE INDEX jobs_dataset_idx ON jobs (dataset_id, created_at)",
            """
            CREATE TABLE change_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL,
                dataset_id TEXT,
                payload TEXT NOT NULL,
                at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE query_log (
                id TEXT PRIMARY KEY NOT NULL,
                at TEXT NOT NULL,
                principal_id TEXT NOT NULL,
                principal_name TEXT NOT NULL,
                client_name TEXT,
                client_version TEXT,
                tool TEXT NOT NULL,
                dataset_ids TEXT NOT NULL,
                normalized_sql TEXT,
                fingerprint TEXT,
                status TEXT NOT NULL,
                error_code TEXT,
                duration_ms REAL NOT NULL,
                row_count INTEGER NOT NULL,
                byte_count INTEGER NOT NULL,
                cached INTEGER NOT NULL,
                plan_id TEXT,
                prompt_hash TEXT,
                persona TEXT
            )
            """,
            "CREATE INDEX query_log_at_idx ON query_log (at)",
            "CREATE INDEX query_log_principal_idx ON query_log (principal_id, at)",
            "CREATE INDEX query_log_fingerprint_idx ON query_log (fingerprint)",
            """
            CREATE TABLE query_log_datasets (
                log_id TEXT NOT NULL REFERENCES query_log (id) ON DELETE CASCADE,
                dataset_id TEXT NOT NULL,
                PRIMARY KEY (dataset_id, log_id)
            )
            """,
            "CREATE INDEX query_log_datasets_log_idx ON query_log_datasets (log_id)",
        ]
    )

    /// Profile snapshots (one row per profiler run) and the quality findings of each snapshot.
    static let profiles = StoreMigration(
        name: "0002_profiles",
        statements: [
            """
            CREATE TABLE dataset_profiles (
                dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
                version INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                backend TEXT NOT NULL,
                table_count INTEGER NOT NULL,
                duration_seconds REAL NOT NULL,
                profile TEXT NOT NULL,
                PRIMARY KEY (dataset_id, version)
            )
            """,
            """
            CREATE TABLE quality_findings (
                dataset_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                position INTEGER NOT NULL,
                rule_id TEXT NOT NULL,
                severity TEXT NOT NULL,
                table_name TEXT,
                column_name TEXT,
                finding TEXT NOT NULL,
                PRIMARY KEY (dataset_id, version, position),
                FOREIGN KEY (dataset_id, version) REFERENCES dataset_profiles (dataset_id, version) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX quality_findings_rule_idx ON quality_findings (rule_id)",
        ]
    )
}
