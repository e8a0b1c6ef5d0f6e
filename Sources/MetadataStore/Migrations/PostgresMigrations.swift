/// The PostgreSQL schema, as ordered migrations (see ``StoreMigration``).
///
/// JSON lives in `jsonb`, times in `timestamptz`, ciphertext in `bytea`.
public enum PostgresMigrations {
    public static let all: [StoreMigration] = [registry, profiles, onboarding, identity]

    static let registry = StoreMigration(
        name: "0001_registry",
        statements: [
            """
            CREATE TABLE datasets (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                description TEXT NOT NULL,
                state TEXT NOT NULL,
                tags JSONB NOT NULL,
                owner TEXT,
                default_persona TEXT,
                connection_kind TEXT NOT NULL,
                redacted_url TEXT NOT NULL,
                settings JSONB NOT NULL,
                weighting JSONB,
                metadata JSONB,
                warnings JSONB NOT NULL,
                version INTEGER NOT NULL,
                ever_approved BOOLEAN NOT NULL,
                created_by TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL
            )
            """,
            "CREATE INDEX datasets_state_idx ON datasets (state)",
            "CREATE INDEX datasets_tags_idx ON datasets USING GIN (tags jsonb_path_ops)",
            """
            CREATE TABLE dataset_versions (
                dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
                version INTEGER NOT NULL,
                author TEXT NOT NULL,
                note TEXT,
                at TIMESTAMPTZ NOT NULL,
                snapshot JSONB NOT NULL,
                PRIMARY KEY (dataset_id, version)
            )
            """,
            """
            CREATE TABLE dataset_transitions (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
                from_state TEXT NOT NULL,
                to_state TEXT NOT NULL,
                actor TEXT NOT NULL,
                note TEXT,
                at TIMESTAMPTZ NOT NULL
            )
            """,
            "CREATE INDEX dataset_transitions_dataset_idx ON dataset_transitions (dataset_id, id)",
            """
            CREATE TABLE dataset_secrets (
                dataset_id TEXT PRIMARY KEY REFERENCES datasets (id) ON DELETE CASCADE,
                key_id TEXT NOT NULL,
                ciphertext BYTEA NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL
            )
            """,
            """
            CREATE TABLE api_tokens (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                role TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                created_at TIMESTAMPTZ NOT NULL,
                last_used_at TIMESTAMPTZ,
                revoked_at TIMESTAMPTZ
            )
            """,
            """
            CREATE TABLE jobs (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                dataset_id TEXT,
                payload JSONB NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                max_attempts INTEGER NOT NULL,
                run_after TIMESTAMPTZ NOT NULL,
                lease_owner TEXT,
                lease_expires_at TIMESTAMPTZ,
                progress INTEGER NOT NULL,
                message TEXT,
                result JSONB,
                error TEXT,
                cancel_requested BOOLEAN NOT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL
            )
            """,
            "CREATE INDEX jobs_claim_idx ON jobs (state, run_after)",
            "CREATE INDEX jobs_dataset_idx ON jobs (dataset_id, created_at)",
            """
            CREATE TABLE change_events (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                kind TEXT NOT NULL,
                dataset_id TEXT,
                payload JSONB NOT NULL,
                at TIMESTAMPTZ NOT NULL
            )
            """,
            """
            CREATE TABLE query_log (
                id TEXT PRIMARY KEY,
                at TIMESTAMPTZ NOT NULL,
                principal_id TEXT NOT NULL,
                principal_name TEXT NOT NULL,
                client_name TEXT,
                client_version TEXT,
                tool TEXT NOT NULL,
                dataset_ids JSONB NOT NULL,
                normalized_sql TEXT,
                fingerprint TEXT,
                status TEXT NOT NULL,
                error_code TEXT,
                duration_ms DOUBLE PRECISION NOT NULL,
                row_count BIGINT NOT NULL,
                byte_count BIGINT NOT NULL,
                cached BOOLEAN NOT NULL,
                plan_id TEXT,
                prompt_hash TEXT,
                persona TEXT
            )
            """,
            "CREATE INDEX query_log_at_idx ON query_log (at)",
            "CREATE INDEX query_log_principal_idx ON query_log (principal_id, at)",
            "CREATE INDEX query_log_fingerprint_idx ON query_log (fingerprint)",
            "CREATE INDEX query_log_datasets_idx ON query_log USING GIN (dataset_ids jsonb_path_ops)",
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
                created_at TIMESTAMPTZ NOT NULL,
                backend TEXT NOT NULL,
                table_count INTEGER NOT NULL,
                duration_seconds DOUBLE PRECISION NOT NULL,
                profile JSONB NOT NULL,
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
                finding JSONB NOT NULL,
                PRIMARY KEY (dataset_id, version, position),
                FOREIGN KEY (dataset_id, version) REFERENCES dataset_profiles (dataset_id, version) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX quality_findings_rule_idx ON quality_findings (rule_id)",
        ]
    )

    /// The onboarding pipeline: job deduplication keys (idempotent scheduling across replicas),
    /// review items and drift reports, language-model token usage, search embeddings.
    static let onboarding = StoreMigration(
        name: "0003_onboarding",
        statements: [
            "ALTER TABLE jobs ADD COLUMN dedupe_key TEXT",
            "CREATE UNIQUE INDEX jobs_dedupe_idx ON jobs (dedupe_key)",
            "CREATE INDEX jobs_kind_dataset_idx ON jobs (kind, dataset_id, state)",
            """
            CREATE TABLE review_items (
                id TEXT PRIMARY KEY,
                dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                state TEXT NOT NULL,
                title TEXT NOT NULL,
                details JSONB NOT NULL,
                source_job_id TEXT,
                dedupe_key TEXT UNIQUE,
                created_by TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL,
                resolved_by TEXT,
                resolved_at TIMESTAMPTZ,
                resolution TEXT
            )
            """,
            "CREATE INDEX review_items_dataset_idx ON review_items (dataset_id, state, created_at)",
            "CREATE INDEX review_items_state_idx ON review_items (state, created_at)",
            """
            CREATE TABLE drift_reports (
                dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
                from_version INTEGER NOT NULL,
                to_version INTEGER NOT NULL,
                change_count INTEGER NOT NULL,
                report JSONB NOT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (dataset_id, to_version, from_version)
            )
            """,
            """
            CREATE TABLE llm_usage (
                id TEXT PRIMARY KEY,
                at TIMESTAMPTZ NOT NULL,
                dataset_id TEXT,
                job_id TEXT,
                operation TEXT NOT NULL,
                purpose TEXT,
                model TEXT NOT NULL,
                used_fallback BOOLEAN NOT NULL,
                prompt_tokens INTEGER NOT NULL,
                completion_tokens INTEGER NOT NULL,
                total_tokens INTEGER NOT NULL,
                latency_ms DOUBLE PRECISION NOT NULL,
                attempts INTEGER NOT NULL,
                error_code TEXT
            )
            """,
            "CREATE INDEX llm_usage_dataset_idx ON llm_usage (dataset_id, at)",
            "CREATE INDEX llm_usage_job_idx ON llm_usage (job_id)",
            """
            CREATE TABLE search_embeddings (
                document_id TEXT NOT NULL,
                model TEXT NOT NULL,
                dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
                content_hash TEXT NOT NULL,
                vector JSONB NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (document_id, model)
            )
            """,
            "CREATE INDEX search_embeddings_dataset_idx ON search_embeddings (dataset_id)",
        ]
    )
}
