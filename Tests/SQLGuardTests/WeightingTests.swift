import SQLGuard
import Testing

@Suite("Unweighted aggregates")
struct WeightingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var sql: String
        /// Names of the aggregates expected to be reported, in text order.
        var flagged: [String]
        var why: String
        var testDescription: String { self.why }
    }

    static let respondents = QualifiedName(name: "respondents")

    static let cases: [Case] = [
        Case(sql: "SELECT sum(weight * age) / sum(weight) FROM respondents", flagged: [], why: "weighted mean passes"),
        Case(
            sql: "SELECT r.gender, sum(r.weight * r.age) / sum(r.weight) FROM respondents r GROUP BY r.gender",
            flagged: [],
            why: "weighted mean by alias passes"
        ),
        Case(sql: "SELECT count(*) FROM respondents", flagged: ["count"], why: "plain count fails"),
        Case(sql: "SELECT gender, avg(age) FROM respondents GROUP BY gender", flagged: ["avg"], why: "unweighted mean fails"),
        Case(
            sql: "SELECT count(*) FROM events e JOIN respondents r ON r.id = e.respondent_id",
            flagged: ["count"],
            why: "count over events joined to respondents fails"
        ),
        Case(
            sql: "SELECT e.category, count(*), sum(r.weight) FROM events e JOIN respondents r ON r.id = e.respondent_id GROUP BY 1",
            flagged: [],
            why: "unweighted n beside the weighted base passes"
        ),
        Case(
            sql: "WITH r AS (SELECT * FROM respondents WHERE age > 30) SELECT gender, count(*) FROM r GROUP BY gender",
            flagged: ["count"],
            why: "respondents through a CTE fail"
        ),
        Case(
            sql: "WITH r AS (SELECT * FROM respondents) SELECT sum(r.weight) FILTER (WHERE gender = 'Female') / sum(r.weight) FROM r",
            flagged: [],
            why: "CTE passing the weight up with SELECT * passes"
        ),
        Case(
            sql: "SELECT sum(w * age) / sum(w) FROM (SELECT age, weight AS w FROM respondents) s",
            flagged: [],
            why: "subquery renaming the weight passes"
        ),
        Case(
            sql: "SELECT gender, count(*) FROM (SELECT gender FROM respondents) s GROUP BY gender",
            flagged: ["count"],
            why: "subquery that drops the weight fails"
        ),
        Case(sql: "SELECT category, count(*) FROM events GROUP BY category", flagged: [], why: "unrelated table passes"),
        Case(
            sql: "SELECT count(*) FROM events WHERE respondent_id IN (SELECT id FROM respondents WHERE gender = 'Female')",
            flagged: [],
            why: "respondents only in a WHERE filter: events are summarized, not respondents"
        ),
        Case(sql: "SELECT avg(weight) FROM respondents", flagged: [], why: "avg(weight) alone passes (diagnostic of the weights)"),
        Case(sql: "SELECT min(age), max(age), string_agg(region, ',') FROM respondents", flagged: [], why: "picking aggregates pass"),
        Case(
            sql: "SELECT count(*), max(weight) FROM respondents",
            flagged: ["count"],
            why: "the weight inside a picking aggregate does not weight the count"
        ),
        Case(
            sql: "SELECT count(*) FROM respondents WHERE weight > 0",
            flagged: ["count"],
            why: "the weight in WHERE does not weight the count"
        ),
        Case(sql: "SELECT id, age FROM respondents", flagged: [], why: "no aggregate passes"),
        Case(sql: "SELECT id, rank() OVER (ORDER BY age) FROM respondents", flagged: [], why: "window functions pass"),
        Case(
            sql: "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY age), stddev(age) FROM respondents",
            flagged: ["percentile_cont", "stddev"],
            why: "quantiles and spreads fail"
        ),
        Case(
            sql: "SELECT count(*) FROM public.respondents",
            flagged: ["count"],
            why: "schema-qualified respondent table matches an unqualified configuration"
        ),
        Case(
            sql: "SELECT count(*) FROM \"Respondents\"",
            flagged: [],
            why: "a quoted differently-cased name is another table"
        ),
        Case(
            sql: """
                SELECT avg(n) FROM (
                  SELECT r.id, r.weight, count(e.id) AS n FROM respondents r LEFT JOIN events e ON e.respondent_id = r.id GROUP BY r.id, r.weight
                ) per_respondent
                """,
            flagged: ["avg"],
            why: "per-respondent roll-up is fine, the unweighted mean over it fails"
        ),
        Case(
            sql: """
                SELECT sum(weight * n) / sum(weight) FROM (
                  SELECT r.id, r.weight, count(e.id) AS n FROM respondents r LEFT JOIN events e ON e.respondent_id = r.id GROUP BY r.id, r.weight
                ) per_respondent
                """,
            flagged: [],
            why: "per-respondent roll-up weighted one level up passes"
        ),
        Case(
            sql: "SELECT region, (SELECT count(*) FROM respondents x WHERE x.region = r.region) FROM respondents r",
            flagged: ["count"],
            why: "unweighted count in a scalar subquery fails"
        ),
        Case(
            sql: "SELECT count(*) FROM respondents UNION ALL SELECT sum(weight) FROM respondents",
            flagged: ["count"],
            why: "each arm of a set operation is its own level"
        ),
        Case(
            sql:
                "SELECT sum(CASE WHEN e.category = 'sports' THEN r.weight ELSE 0 END) / sum(r.weight) FROM respondents r JOIN events e ON e.respondent_id = r.id",
            flagged: [],
            why: "weight inside CASE passes"
        ),
        Case(
            sql: "SELECT sum(x.weight) FROM (SELECT * FROM respondents) x JOIN (SELECT count(*) AS c FROM respondents) y ON true",
            flagged: ["count"],
            why: "the unweighted count inside the join's subquery fails on its own level"
        ),
        Case(
            sql: "SELECT count(*) FROM (respondents r JOIN events e ON e.respondent_id = r.id) AS j",
            flagged: ["count"],
            why: "aliased join reaching respondents fails"
        ),
        Case(
            sql: "SELECT sum(j.weight) FROM (respondents r JOIN events e ON e.respondent_id = r.id) AS j",
            flagged: [],
            why: "weight through an aliased join passes"
        ),
        Case(
            sql: "WITH RECURSIVE r AS (SELECT id, weight FROM respondents UNION ALL SELECT id, weight FROM r WHERE false) SELECT count(*) FROM r",
            flagged: ["count"],
            why: "recursive CTE over respondents fails without looping"
        ),
        Case(
            sql: "SELECT r.region, count(*) FILTER (WHERE r.weight > 1) FROM respondents r GROUP BY r.region",
            flagged: [],
            why: "the weight in a summarizing aggregate's FILTER counts as used"
        ),
    ]

    @Test("unweighted-aggregate cases", arguments: cases)
    func check(_ testCase: Case) throws {
        let analysis = try SQLGuard().analyze(testCase.sql)
        let flagged = analysis.unweightedAggregates(respondentTable: Self.respondents, weightColumn: "weight")
        #expect(flagged.map(\.name) == testCase.flagged)
    }

    @Test("a schema in the configuration must match a written schema")
    func schemaMatching() throws {
        let configured = QualifiedName(schema: "panel", name: "respondents")
        let other = try SQLGuard().analyze("SELECT count(*) FROM public.respondents")
        #expect(other.unweightedAggregates(respondentTable: configured, weightColumn: "weight").isEmpty)
        let same = try SQLGuard().analyze("SELECT count(*) FROM panel.respondents")
        #expect(same.unweightedAggregates(respondentTable: configured, weightColumn: "weight").map(\.name) == ["count"])
        let searchPath = try SQLGuard().analyze("SELECT count(*) FROM respondents")
        #expect(searchPath.unweightedAggregates(respondentTable: configured, weightColumn: "weight").map(\.name) == ["count"])
    }

    @Test("the reported calls carry their location")
    func locations() throws {
        let analysis = try SQLGuard().analyze("SELECT region,\n       count(*)\nFROM respondents GROUP BY region")
        let flagged = analysis.unweightedAggregates(respondentTable: Self.respondents, weightColumn: "weight")
        #expect(flagged.count == 1)
        #expect(flagged.first?.location == SQLLocation(offset: 22, line: 2, column: 8))
    }

    @Test("another weight column name is honoured")
    func otherWeightName() throws {
        let analysis = try SQLGuard().analyze("SELECT sum(wt * x) / sum(wt) FROM panel")
        let table = QualifiedName(name: "panel")
        #expect(analysis.unweightedAggregates(respondentTable: table, weightColumn: "wt").isEmpty)
        #expect(analysis.unweightedAggregates(respondentTable: table, weightColumn: "weight").map(\.name) == ["sum", "sum"])
    }
}
