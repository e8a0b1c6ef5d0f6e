import SQLGuard
import Testing

@Suite("Aggregated versus raw")
struct AggregationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var sql: String
        var aggregated: Bool
        var testDescription: String { "\(self.aggregated ? "aggregated" : "raw"): \(self.sql)" }
    }

    static let cases: [Case] = [
        Case(sql: "SELECT * FROM respondents", aggregated: false),
        Case(sql: "SELECT id, age FROM respondents WHERE age > 30", aggregated: false),
        Case(sql: "SELECT count(*) FROM respondents", aggregated: true),
        Case(sql: "SELECT pg_catalog.count(*) FROM respondents", aggregated: true),
        Case(sql: "SELECT gender, count(*) FROM respondents GROUP BY gender", aggregated: true),
        Case(sql: "SELECT gender FROM respondents GROUP BY gender", aggregated: true),
        Case(sql: "SELECT region, nccs, sum(weight) FROM respondents GROUP BY ROLLUP (region, nccs)", aggregated: true),
        Case(sql: "SELECT region FROM respondents GROUP BY GROUPING SETS ((region), ())", aggregated: true),
        Case(sql: "SELECT 1 FROM respondents HAVING count(*) > 1", aggregated: true),
        Case(sql: "SELECT 1 FROM respondents HAVING true", aggregated: true),
        Case(sql: "SELECT DISTINCT region FROM respondents", aggregated: true),
        Case(sql: "SELECT DISTINCT ON (region) region, id FROM respondents ORDER BY region, id", aggregated: false),
        Case(sql: "SELECT id, rank() OVER (ORDER BY age) FROM respondents", aggregated: false),
        Case(sql: "SELECT id, count(*) OVER () FROM respondents", aggregated: false),
        Case(sql: "SELECT id, sum(weight) OVER (PARTITION BY region) FROM respondents", aggregated: false),
        Case(sql: "SELECT region, sum(count(*)) OVER () FROM respondents GROUP BY region", aggregated: true),
        Case(sql: "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY age) FROM respondents", aggregated: true),
        Case(sql: "SELECT count(*) FILTER (WHERE age > 30) FROM respondents", aggregated: true),
        Case(sql: "SELECT id FROM respondents ORDER BY count(*) OVER ()", aggregated: false),
        Case(sql: "SELECT 1 FROM respondents ORDER BY max(age)", aggregated: true),
        Case(sql: "SELECT * FROM (SELECT region, count(*) FROM respondents GROUP BY region) s", aggregated: true),
        Case(sql: "SELECT s.region FROM (SELECT region, count(*) AS n FROM respondents GROUP BY region) s WHERE n > 5", aggregated: true),
        Case(sql: "SELECT * FROM (SELECT * FROM respondents) s", aggregated: false),
        Case(sql: "WITH c AS (SELECT region, count(*) AS n FROM respondents GROUP BY region) SELECT * FROM c", aggregated: true),
        Case(sql: "WITH c AS (SELECT * FROM respondents) SELECT * FROM c", aggregated: false),
        Case(
            sql: "SELECT * FROM (SELECT count(*) FROM a) x JOIN (SELECT g, count(*) FROM b GROUP BY g) y ON true",
            aggregated: true
        ),
        Case(sql: "SELECT * FROM (SELECT count(*) FROM a) x CROSS JOIN b", aggregated: false),
        Case(sql: "SELECT * FROM ((SELECT count(*) FROM a) x JOIN (SELECT max(v) FROM b) y ON true) AS j", aggregated: true),
        Case(sql: "SELECT * FROM (SELECT count(*) FROM a) x, generate_series(1, 3)", aggregated: false),
        Case(sql: "SELECT count(*) FROM a UNION ALL SELECT count(*) FROM b", aggregated: true),
        Case(sql: "SELECT count(*) FROM a UNION ALL SELECT id FROM b", aggregated: false),
        Case(sql: "SELECT g FROM a GROUP BY g INTERSECT SELECT DISTINCT g FROM b EXCEPT SELECT max(g) FROM c", aggregated: true),
        Case(sql: "SELECT id FROM a UNION SELECT id FROM b", aggregated: false),
        Case(sql: "SELECT id, (SELECT count(*) FROM events e WHERE e.respondent_id = r.id) FROM respondents r", aggregated: false),
        Case(sql: "SELECT * FROM respondents WHERE age > (SELECT avg(age) FROM respondents)", aggregated: false),
        Case(sql: "SELECT (SELECT count(*) FROM respondents)", aggregated: false),
        Case(sql: "SELECT 1", aggregated: false),
        Case(sql: "VALUES (1), (2)", aggregated: false),
        Case(sql: "SELECT generate_series(1, 10)", aggregated: false),
        Case(sql: "SELECT * FROM respondents r, LATERAL (SELECT count(*) FROM events e WHERE e.respondent_id = r.id) c", aggregated: false),
        Case(
            sql: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT * FROM n",
            aggregated: false
        ),
        Case(sql: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT sum(i) FROM n", aggregated: true),
        Case(sql: "SELECT myschema.my_agg(x) FROM t", aggregated: false),
        Case(sql: "SELECT myschema.my_agg(DISTINCT x) FROM t", aggregated: true),
        Case(sql: "SELECT string_agg(name, ',' ORDER BY name) FROM t", aggregated: true),
        Case(sql: "EXPLAIN SELECT * FROM respondents", aggregated: false),
        Case(sql: "EXPLAIN SELECT count(*) FROM respondents", aggregated: true),
    ]

    @Test("aggregated-versus-raw table", arguments: cases)
    func classify(_ testCase: Case) throws {
        let analysis = try SQLGuard().analyze(testCase.sql)
        #expect(analysis.isAggregated == testCase.aggregated)
    }

    @Test("the table is large enough and covers both answers")
    func tableSize() {
        #expect(Self.cases.count >= 25)
        #expect(Self.cases.contains { $0.aggregated } && Self.cases.contains { !$0.aggregated })
    }

    @Test("top-level LIMIT: presence and literal value")
    func limits() throws {
        let guardrail = SQLGuard()
        func limit(_ sql: String) throws -> (Bool, Int64?) {
            let analysis = try guardrail.analyze(sql)
            return (analysis.hasTopLevelLimit, analysis.topLevelLimit)
        }
        #expect(try limit("SELECT * FROM t") == (false, nil))
        #expect(try limit("SELECT * FROM t LIMIT 10") == (true, 10))
        #expect(try limit("SELECT * FROM t LIMIT 0") == (true, 0))
        #expect(try limit("SELECT * FROM t LIMIT ALL") == (false, nil))
        #expect(try limit("SELECT * FROM t LIMIT NULL") == (false, nil))
        #expect(try limit("SELECT * FROM t OFFSET 5") == (false, nil))
        #expect(try limit("SELECT * FROM t FETCH FIRST 7 ROWS ONLY") == (true, 7))
        #expect(try limit("SELECT * FROM t FETCH FIRST ROW ONLY") == (true, 1))
        #expect(try limit("SELECT * FROM t ORDER BY a FETCH FIRST 3 ROWS WITH TIES") == (true, nil))
        #expect(try limit("SELECT * FROM t LIMIT 2 + 3") == (true, nil))
        #expect(try limit("SELECT * FROM t LIMIT (SELECT 4)") == (true, nil))
        #expect(try limit("SELECT * FROM (SELECT * FROM t LIMIT 5) s") == (false, nil))
        #expect(try limit("SELECT a FROM t UNION SELECT b FROM u LIMIT 9") == (true, 9))
        #expect(try limit("(SELECT a FROM t LIMIT 3) UNION SELECT b FROM u") == (false, nil))
        #expect(try limit("EXPLAIN SELECT * FROM t LIMIT 4") == (true, 4))
        #expect(try limit("SELECT * FROM t LIMIT 9223372036854775807") == (true, Int64.max))
    }
}
