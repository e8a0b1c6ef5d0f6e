extension SQLiteMigrations {
    /// 0004: users (every pre-existing token becomes its own user), browser sessions, upstream identities and the OAuth authorization server's tables.
    static let identity = StoreMigration(
        name: "0004_identity",
        statements: [
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY NOT NULL,
                email TEXT NOT NULL UNIQUE,
                display_name TEXT NOT NULL,
                role TEXT NOT NULL,
                active INTEGER NOT NULL,
                password_hash TEXT,
                created_at TEXT NOT NULL,
                last_login_at TEXT
            )
            """,
            """
            -- Every token that existed before users did becomes its own user (a service account), with the
            -- token's id as the user id, so audit rows that named the token stay attributable.
            INSERT INTO users (id, email, display_name, role, active, password_hash, created_at)
            SELECT id, 'token-' || id || '@tokens.invalid', name, role, (revoked_at IS NULL), NULL, created_at FROM api_tokens
            """,
            """
            ALTER TABLE api_tokens ADD COLUMN user_id TEXT REFERENCES users (id)
            """,
            """
            UPDATE api_tokens SET user_id = id
            """,
            """
            CREATE INDEX api_tokens_user_idx ON api_tokens (user_id)
            """,
            """
            UPDATE dataset_transitions SET actor = (SELECT t.id FROM api_tokens t WHERE t.name = dataset_transitions.actor ORDER BY t.created_at, t.id LIMIT 1)
            WHERE actor IN (SELECT name FROM api_tokens)
            """,
            """
            UPDATE dataset_versions SET author = (SELECT t.id FROM api_tokens t WHERE t.name = dataset_versions.author ORDER BY t.created_at, t.id LIMIT 1)
            WHERE author IN (SELECT name FROM api_tokens)
            """,
            """
            UPDATE datasets SET created_by = (SELECT t.id FROM api_tokens t WHERE t.name = datasets.created_by ORDER BY t.created_at, t.id LIMIT 1)
            WHERE created_by IN (SELECT name FROM api_tokens)
            """,
            """
            UPDATE review_items SET resolved_by = (SELECT t.id FROM api_tokens t WHERE t.name = review_items.resolved_by ORDER BY t.created_at, t.id LIMIT 1)
            WHERE resolved_by IN (SELECT name FROM api_tokens)
            """,
            """
            CREATE TABLE user_identities (
                issuer TEXT NOT NULL,
                subject TEXT NOT NULL,
                user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                created_at TEXT NOT NULL,
                PRIMARY KEY (issuer, subject)
            )
            """,
            """
            CREATE TABLE user_sessions (
                session_hash TEXT PRIMARY KEY NOT NULL,
                user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                csrf_token TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE oauth_clients (
                client_id TEXT PRIMARY KEY NOT NULL,
                kind TEXT NOT NULL,
                name TEXT NOT NULL,
                redirect_uris TEXT NOT NULL,
                token_endpoint_auth_method TEXT NOT NULL,
                secret_hash TEXT,
                client_uri TEXT,
                created_at TEXT NOT NULL,
                fetched_at TEXT
            )
            """,
            """
            CREATE TABLE oauth_codes (
                code_hash TEXT PRIMARY KEY NOT NULL,
                client_id TEXT NOT NULL,
                user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                redirect_uri TEXT NOT NULL,
                code_challenge TEXT NOT NULL,
                scopes TEXT NOT NULL,
                resource TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                used_at TEXT,
                grant_id TEXT
            )
            """,
            """
            CREATE TABLE oauth_grants (
                id TEXT PRIMARY KEY NOT NULL,
                user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                client_id TEXT NOT NULL,
                scopes TEXT NOT NULL,
                resource TEXT NOT NULL,
                created_at TEXT NOT NULL,
                last_used_at TEXT,
                revoked_at TEXT
            )
            """,
            """
            CREATE INDEX oauth_grants_user_idx ON oauth_grants (user_id, created_at)
            """,
            """
            CREATE TABLE oauth_tokens (
                token_hash TEXT PRIMARY KEY NOT NULL,
                kind TEXT NOT NULL,
                grant_id TEXT NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                used_at TEXT,
                successor BLOB,
                successor_key_id TEXT,
                revoked_at TEXT
            )
            """,
            """
            CREATE INDEX oauth_tokens_grant_idx ON oauth_tokens (grant_id)
            """,
        ]
    )
}
