import AnalyticsCore
import SQLGuard
import Testing

@Suite("Error reporting")
struct ErrorReportingTests {
    let guardrail = SQLGuard()

    func refusal(_ sql: String) throws -> AnalyticsError {
        do {
            _ = try guardrail.analyze(sql)
        } catch {
            return error
        }
        Issue.record("accepted: \(sql)")
        throw AnalyticsError.internalError("accepted")
    }

    @Test("a forbidden function is named with its location and category")
    func forbiddenFunction() throws {
        let error = try refusal("SELECT pg_read_file('/etc/passwd')")
        #expect(error.code == .sqlForbiddenFunction)
        #expect(error.details?["function"] == "pg_read_file")
        #expect(error.details?["category"] == "serverFiles")
        #expect(error.details?["location"] == 7)
        #expect(error.details?["line"] == 1)
        #expect(error.details?["column"] == 8)
        #expect(error.message.contains("pg_read_file"))
        #expect(error.message.contains("line 1, column 8"))
        #expect(error.hint?.isEmpty == false)
    }

    @Test("locations count lines and characters, not bytes")
    func multiLineAndMultibyte() throws {
        let error = try refusal("SELECT 'héllo wörld' AS greeting,\n  'ü',\n    nextval('s')")
        #expect(error.details?["line"] == 3)
        #expect(error.details?["column"] == 5)
        #expect(error.details?["location"] == 45)
    }

    @Test("a quoted or escaped spelling is reported under the name it resolves to")
    func spellingReported() throws {
        let error = try refusal("SELECT U&\"\\0070g_ls_dir\"('.')")
        #expect(error.details?["function"] == "pg_ls_dir")
        let attribute = try refusal("SELECT ('x'::text).pg_read_file")
        #expect(attribute.code == .sqlForbiddenFunction)
        #expect(attribute.message.contains("(…).pg_read_file"))
    }

    @Test("the first forbidden call by position is reported")
    func firstByPosition() throws {
        let error = try refusal("SELECT nextval('a'), (SELECT pg_notify('c', 'x')), setval('b', 1)")
        #expect(error.details?["function"] == "nextval")
    }

    @Test("changes to data are reported before forbidden calls")
    func severity() throws {
        let error = try refusal("SELECT pg_read_file('x') FROM t FOR UPDATE")
        #expect(error.code == .sqlNotReadOnly)
        #expect(error.details?["clause"] == "FOR UPDATE")
    }

    @Test("parse errors carry the parser's message and cursor")
    func parseError() throws {
        let error = try refusal("SELECT id,\n  FROM respondents WHERE")
        #expect(error.code == .sqlParseError)
        #expect(error.details?["parser_message"]?.stringValue?.contains("syntax error") == true)
        #expect(error.details?["line"] == 2)
        #expect(error.details?["column"] == 3)
        #expect(error.message.contains("line 2, column 3"))

        let end = try refusal("SELECT 'ü' FROM t WHERE")
        #expect(end.details?["parser_message"] == "syntax error at end of input")
        #expect(end.details?["location"] == 23)
    }

    @Test("a parse error without a cursor still explains itself")
    func parseErrorWithoutCursor() throws {
        let error = try refusal("SELECT id FROM t FETCH FIRST 3 ROWS WITH TIES")
        #expect(error.code == .sqlParseError)
        #expect(error.details?["location"] == nil)
        #expect(error.message.contains("WITH TIES"))
    }

    @Test("multiple statements: the count and where the second begins")
    func multiple() throws {
        let error = try refusal("SELECT 1;\nSELECT 2; SELECT 3")
        #expect(error.code == .sqlMultipleStatements)
        #expect(error.details?["count"] == 3)
        #expect(error.details?["location"] == 10)
        #expect(error.details?["line"] == 2)
        #expect(error.details?["column"] == 1)
        #expect(error.message.contains("3 statements"))
    }

    @Test("a statement other than SELECT is named")
    func statementNamed() throws {
        let cases: [(String, String)] = [
            ("DELETE FROM t", "DELETE"), ("DROP TABLE t", "DROP TABLE"), ("CREATE TABLE t (a int)", "CREATE"),
            ("COPY t TO STDOUT", "COPY"), ("SHOW search_path", "SHOW"), ("VACUUM t", "VACUUM"), ("ANALYZE t", "ANALYZE"),
            ("BEGIN", "BEGIN"), ("ROLLBACK", "ROLLBACK"), ("RESET ALL", "RESET"), ("SET x = 1", "SET"),
            ("GRANT SELECT ON t TO u", "GRANT"), ("REVOKE SELECT ON t FROM u", "REVOKE"), ("FETCH c", "FETCH"),
            ("CREATE MATERIALIZED VIEW v AS SELECT 1", "CREATE MATERIALIZED VIEW"), ("DROP SCHEMA s", "DROP SCHEMA"),
            ("EXPLAIN DELETE FROM t", "EXPLAIN DELETE"), ("CREATE FOREIGN TABLE f (a int) SERVER s", "CREATE FOREIGN TABLE"),
        ]
        for (sql, statement) in cases {
            let error = try refusal(sql)
            #expect(error.code == .sqlNotReadOnly)
            #expect(error.details?["statement"]?.stringValue?.hasPrefix(statement) == true, "\(sql)")
            #expect(error.message.contains("found \(statement)"), "\(error.message)")
        }
        let show = try refusal("SHOW work_mem")
        #expect(show.hint?.contains("current_setting") == true)
    }

    @Test("EXPLAIN ANALYZE points at the option")
    func explainAnalyze() throws {
        let error = try refusal("EXPLAIN (FORMAT JSON, ANALYZE) SELECT 1")
        #expect(error.code == .sqlNotReadOnly)
        #expect(error.details?["statement"] == "EXPLAIN ANALYZE")
        #expect(error.details?["location"] == 22)
        #expect(error.hint?.contains("without ANALYZE") == true)
    }

    @Test("locking clauses point at the locked relation or the query they sit in")
    func lockingLocations() throws {
        let named = try refusal("SELECT * FROM t FOR SHARE OF t")
        #expect(named.details?["clause"] == "FOR SHARE")
        #expect(named.details?["location"] == 29)
        let nested = try refusal("SELECT *\nFROM (SELECT a FROM t FOR KEY SHARE) s")
        #expect(nested.details?["clause"] == "FOR KEY SHARE")
        #expect(nested.details?["line"] == 2)
        #expect(nested.details?["column"] == 14)
    }

    @Test("data-modifying WITH queries are named")
    func dataModifyingCTE() throws {
        let error = try refusal("WITH gone AS (DELETE FROM t RETURNING *) SELECT * FROM gone")
        #expect(error.code == .sqlNotReadOnly)
        #expect(error.details?["cte"] == "gone")
        #expect(error.details?["statement"] == "DELETE")
        #expect(error.details?["location"] == 5)
        #expect(error.message.contains("gone"))
    }

    @Test("SELECT INTO names the table it would create")
    func selectInto() throws {
        let error = try refusal("SELECT * INTO panel.copy FROM t")
        #expect(error.details?["relation"] == "panel.copy")
        #expect(error.details?["location"] == 14)
    }

    @Test("empty input and NUL characters")
    func emptyAndNUL() throws {
        #expect(try refusal("").code == .sqlEmpty)
        #expect(try refusal(" -- nothing\n").code == .sqlEmpty)
        #expect(try refusal("SELECT 1\u{0}; DROP TABLE t").code == .sqlParseError)
    }

    @Test("errors serialise to the documented wire body")
    func wireBody() throws {
        let error = try refusal("SELECT lo_import('/etc/passwd')")
        let body = error.body["error"]
        #expect(body?["code"] == "SQL_FORBIDDEN_FUNCTION")
        #expect(body?["message"]?.stringValue?.isEmpty == false)
        #expect(body?["hint"]?.stringValue?.isEmpty == false)
        #expect(body?["details"]?["function"] == "lo_import")
    }
}
