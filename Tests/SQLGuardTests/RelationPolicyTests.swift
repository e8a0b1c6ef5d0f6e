import AnalyticsCore
import SQLGuard
import Testing

@Suite("Relation policy")
struct RelationPolicyTests {
    @Test(
        "catalogs holding secrets, server files, other sessions' statements or sampled values are refused, in any spelling",
        arguments: [
            ("SELECT rolname, rolpassword FROM pg_authid", "pg_authid"),
            ("SELECT * FROM pg_catalog.pg_shadow", "pg_shadow"),
            ("SELECT usename FROM pg_user_mappings", "pg_user_mappings"),
            ("SELECT subconninfo FROM pg_subscription", "pg_subscription"),
            ("SELECT * FROM pg_hba_file_rules", "pg_hba_file_rules"),
            ("SELECT * FROM pg_file_settings", "pg_file_settings"),
            ("SELECT query FROM pg_stat_activity WHERE pid <> pg_backend_pid()", "pg_stat_activity"),
            ("SELECT query FROM public.pg_stat_statements", "pg_stat_statements"),
            ("SELECT * FROM information_schema.user_mapping_options", "user_mapping_options"),
            ("SELECT data FROM pg_largeobject", "pg_largeobject"),
            ("SELECT stavalues1 FROM pg_statistic", "pg_statistic"),
            ("TABLE pg_authid", "pg_authid"),
            ("SELECT n FROM (SELECT count(*) AS n FROM \"pg_authid\") s", "pg_authid"),
            ("SELECT * FROM t WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_authid a WHERE a.rolname = t.owner)", "pg_authid"),
            ("WITH x AS (SELECT * FROM pg_shadow) SELECT count(*) FROM x", "pg_shadow"),
            ("SELECT * FROM t JOIN pg_stat_activity s ON s.usename = t.name", "pg_stat_activity"),
            ("EXPLAIN SELECT * FROM pg_authid", "pg_authid"),
        ]
    )
    func refused(_ sql: String, _ relation: String) {
        do {
            _ = try SQLGuard().analyze(sql)
            Issue.record("accepted \(sql)")
        } catch {
            #expect(error.code == .sqlForbiddenRelation, "\(sql)")
            #expect(error.message.contains(relation), "\(sql): \(error.message)")
            #expect(error.details?["relation"]?.stringValue?.hasSuffix(relation) == true)
            #expect(error.details?["location"]?.intValue != nil, "the error points at the relation")
            #expect(error.hint?.contains("describe_dataset") == true)
        }
    }

    @Test(
        "ordinary catalogs, the dataset's own tables and WITH queries of the same name are read",
        arguments: [
            "SELECT relname FROM pg_class",
            "SELECT tablename FROM pg_catalog.pg_tables",
            "SELECT table_name FROM information_schema.tables",
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'respondents'",
            "SELECT rolname FROM pg_roles",
            "SELECT * FROM analytics.pg_authid",
            "WITH pg_authid AS (SELECT 1 AS n) SELECT n FROM pg_authid",
            "SELECT count(*) FROM authid",
            "SELECT relname FROM pg_stat_user_tables",
        ]
    )
    func allowed(_ sql: String) throws {
        _ = try SQLGuard().analyze(sql)
    }

    @Test("writes are reported before forbidden relations, as before forbidden calls")
    func order() {
        do {
            _ = try SQLGuard().analyze("SELECT * INTO stolen FROM pg_authid")
            Issue.record("accepted")
        } catch {
            #expect(error.code == .sqlNotReadOnly)
        }
    }
}
