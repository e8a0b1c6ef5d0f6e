import AnalyticsCore
import SQLGuard
import Testing

@Suite("Function policy")
struct FunctionPolicyTests {
    @Test("exact names and prefix families, case-insensitively")
    func matching() {
        let policy = FunctionPolicy.default
        #expect(policy.denial(for: "pg_read_file")?.category == .serverFiles)
        #expect(policy.denial(for: "PG_READ_BINARY_FILE")?.category == .serverFiles)
        #expect(policy.denial(for: "pg_ls_replslotdir")?.category == .serverFiles)
        #expect(policy.denial(for: "lo_truncate64")?.category == .largeObjects)
        #expect(policy.denial(for: "dblink_get_result")?.category == .remoteDatabases)
        #expect(policy.denial(for: "pg_try_advisory_xact_lock_shared")?.category == .advisoryLocks)
        #expect(policy.denial(for: "query_to_xml_and_xmlschema")?.category == .executesSQLText)
        #expect(policy.denial(for: "pg_current_xact_id_if_assigned")?.category == .transactionIDs)
        #expect(policy.denial(for: "pg_stat_reset_single_table_counters")?.category == .statistics)
        #expect(policy.denial(for: "pg_replication_origin_session_setup")?.category == .backendControl)
    }

    @Test(
        "ordinary analytical functions are allowed",
        arguments: [
            "pg_sleep", "pg_sleep_for", "generate_series", "now", "date_trunc", "jsonb_build_object", "json_agg",
            "count", "percentile_cont", "lower", "log", "localtime", "lower_inf", "currval", "lastval", "random",
            "current_setting", "pg_relation_size", "pg_get_viewdef", "to_tsvector", "txt", "dblin", "lo",
        ]
    )
    func allowed(_ name: String) {
        #expect(FunctionPolicy.default.denial(for: name) == nil)
    }

    @Test("a policy can deny more functions and let listed ones through")
    func customised() throws {
        let stricter = FunctionPolicy.default.adding([.exact("pg_sleep", .backendControl), .prefix("etl_", .catalogChanges)])
        let strictGuard = SQLGuard(policy: stricter)
        for sql in ["SELECT pg_sleep(1)", "SELECT analytics.etl_reload()"] {
            do {
                _ = try strictGuard.analyze(sql)
                Issue.record("accepted \(sql)")
            } catch {
                #expect(error.code == .sqlForbiddenFunction)
            }
        }
        let laxer = FunctionPolicy.default.allowing(["NEXTVAL"])
        #expect(try SQLGuard(policy: laxer).analyze("SELECT nextval('s')").functions.map(\.name) == ["nextval"])
        #expect(laxer.denial(for: "setval") != nil)
        #expect(stricter.rules.count == FunctionPolicy.default.rules.count + 2)
    }

    @Test("every category explains itself and gives a hint")
    func categories() {
        for category in FunctionPolicy.Category.allCases {
            #expect(!category.rawValue.isEmpty)
            #expect(!category.hint.isEmpty)
        }
    }
}
