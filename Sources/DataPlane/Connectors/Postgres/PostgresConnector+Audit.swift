import AnalyticsCore

extension PostgresConnector {
    /// One catalogue query: the login's role attributes, the write privileges it holds on any user
    /// table or view (first name alphabetically and a count per privilege), and where it may CREATE.
    static let auditSQL = """
        WITH relations AS (
            SELECT c.oid, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) AS name
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'f', 'm')
              AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
        ), writes AS (
            SELECT p.privilege, p.ord, r.name
            FROM relations r
            CROSS JOIN unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) WITH ORDINALITY AS p(privilege, ord)
            WHERE pg_catalog.has_table_privilege(r.oid, p.privilege)
        ), schemas AS (
            SELECT pg_catalog.quote_ident(n.nspname) AS name
            FROM pg_catalog.pg_namespace n
            WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
              AND pg_catalog.has_schema_privilege(n.oid, 'CREATE')
        )
        SELECT pg_catalog.json_build_object(
            'login', r.rolname::text,
            'superuser', r.rolsuper,
            'createrole', r.rolcreaterole,
            'createdb', r.rolcreatedb,
            'database', pg_catalog.current_database()::text,
            'database_create', pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE'),
            'tables', (
                SELECT coalesce(pg_catalog.json_agg(pg_catalog.json_build_object(
                    'privilege', w.privilege, 'first', w.first, 'total', w.total) ORDER BY w.ord), '[]'::json)
                FROM (SELECT privilege, min(ord) AS ord, min(name) AS first, count(*) AS total FROM writes GROUP BY privilege) w
            ),
            'schemas', (SELECT pg_catalog.json_build_object('first', min(name), 'total', count(*)) FROM schemas)
        )
        FROM pg_catalog.pg_roles r
        WHERE r.rolname = current_user
        """

    /// Warnings about what the dataset's login could do beyond reading (DESIGN §5.1 layer 2).
    ///
    /// Read-only transactions already stop writes, but a login that *could* write is one
    /// `SET TRANSACTION READ WRITE` bug away from doing so; onboarding shows these loudly.
    public func auditCredentials() async throws -> [String] {
        let result = try await self.execute(
            Self.auditSQL,
            binds: [],
            maxRows: 1,
            timeout: .milliseconds(max(1_000, self.settings.statementTimeoutMs)),
            mode: .capped
        )
        guard let report = result.rows.first?.first else { return [] }
        return Self.auditWarnings(report)
    }

    static func auditWarnings(_ report: JSONValue) -> [String] {
        let login = report["login"]?.stringValue ?? "?"
        if report["superuser"]?.boolValue == true {
            return [
                "login '\(login)' is a superuser: it can change or delete any data on the server. Register the dataset with a login that may only SELECT."
            ]
        }
        var warnings: [String] = []
        if report["createrole"]?.boolValue == true { warnings.append("login '\(login)' may create roles (CREATEROLE).") }
        if report["createdb"]?.boolValue == true { warnings.append("login '\(login)' may create databases (CREATEDB).") }
        if report["database_create"]?.boolValue == true {
            warnings.append("login '\(login)' may CREATE schemas in database '\(report["database"]?.stringValue ?? "?")'.")
        }
        for entry in report["tables"]?.arrayValue ?? [] {
            guard let privilege = entry["privilege"]?.stringValue, let first = entry["first"]?.stringValue else { continue }
            let phrase: String
            switch privilege {
            case "INSERT": phrase = "INSERT into"
            case "DELETE": phrase = "DELETE from"
            default: phrase = privilege
            }
            warnings.append("login '\(login)' may \(phrase) \(first)\(Self.andMore(entry["total"])).")
        }
        if let schemas = report["schemas"], let first = schemas["first"]?.stringValue {
            warnings.append("login '\(login)' may CREATE objects in schema \(first)\(Self.andMore(schemas["total"])).")
        }
        return warnings
    }

    private static func andMore(_ total: JSONValue?) -> String {
        guard let total = total?.intValue, total > 1 else { return "" }
        return " (and \(total - 1) more)"
    }
}
