import SQLGuard
import Testing

@Suite("Relations, functions and columns")
struct ClassificationTests {
    let guardrail = SQLGuard()

    @Test("relations are read from every level, once each, in text order")
    func relations() throws {
        let analysis = try guardrail.analyze(
            """
            SELECT * FROM respondents r
            JOIN panel.events e ON e.respondent_id = r.id
            WHERE r.id IN (SELECT respondent_id FROM purchases)
              AND EXISTS (SELECT 1 FROM respondents x WHERE x.id = r.id)
            """
        )
        #expect(
            analysis.relations == [
                QualifiedName(name: "respondents"), QualifiedName(schema: "panel", name: "events"),
                QualifiedName(name: "purchases"),
            ]
        )
    }

    @Test("qualified, quoted and upper-case spellings resolve like PostgreSQL folds them")
    func relationSpellings() throws {
        let plain = try guardrail.analyze("SELECT * FROM public.respondents")
        let upper = try guardrail.analyze("SELECT * FROM PUBLIC.RESPONDENTS")
        let quoted = try guardrail.analyze("SELECT * FROM \"public\".\"respondents\"")
        let unicode = try guardrail.analyze("SELECT * FROM U&\"\\0070ublic\".respondents")
        for analysis in [plain, upper, quoted, unicode] {
            #expect(analysis.relations == [QualifiedName(schema: "public", name: "respondents")])
        }
        let quotedUpper = try guardrail.analyze("SELECT * FROM \"Survey Answers\"")
        #expect(quotedUpper.relations == [QualifiedName(name: "Survey Answers")])
    }

    @Test("names of WITH queries are not relations, but the same name outside their scope is")
    func cteNamesAreNotRelations() throws {
        let analysis = try guardrail.analyze(
            "WITH recent AS (SELECT * FROM events), recent2 AS (SELECT * FROM recent) SELECT * FROM recent2 JOIN recent USING (id)"
        )
        #expect(analysis.relations == [QualifiedName(name: "events")])

        // A non-recursive WITH query cannot see itself: `t` inside it is the table t.
        let shadow = try guardrail.analyze("WITH t AS (SELECT * FROM t) SELECT * FROM t")
        #expect(shadow.relations == [QualifiedName(name: "t")])
        // A schema-qualified name never means a WITH query.
        let qualified = try guardrail.analyze("WITH t AS (SELECT 1) SELECT * FROM t, public.t")
        #expect(qualified.relations == [QualifiedName(schema: "public", name: "t")])
        // A recursive WITH query reads itself.
        let recursive = try guardrail.analyze(
            "WITH RECURSIVE walk(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM walk WHERE n < 5) SELECT * FROM walk"
        )
        #expect(recursive.relations.isEmpty)
        // A WITH inside a subquery is visible only there.
        let scoped = try guardrail.analyze("SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x) s, x")
        #expect(scoped.relations == [QualifiedName(name: "x")])
    }

    @Test("relations inside EXPLAIN, set operations, LATERAL and TABLESAMPLE are found")
    func relationsEverywhere() throws {
        let analysis = try guardrail.analyze(
            """
            EXPLAIN SELECT a FROM one UNION SELECT b FROM two
            EXCEPT SELECT c FROM three t3, LATERAL (SELECT * FROM four WHERE four.x = t3.c) l, five TABLESAMPLE system (1)
            """
        )
        #expect(analysis.isExplain)
        #expect(analysis.relations.map(\.name) == ["one", "two", "three", "four", "five"])
    }

    @Test("functions are listed once each with their written qualification")
    func functions() throws {
        let analysis = try guardrail.analyze(
            """
            SELECT date_trunc('day', ts), pg_catalog.count(*), COUNT(x), "upper"(name), U&"\\006Cower"(name)
            FROM generate_series(1, 3) g, events
            WHERE jsonb_typeof(payload) = 'object'
            """
        )
        #expect(
            analysis.functions == [
                QualifiedName(name: "date_trunc"), QualifiedName(schema: "pg_catalog", name: "count"),
                QualifiedName(name: "count"), QualifiedName(name: "upper"), QualifiedName(name: "lower"),
                QualifiedName(name: "generate_series"), QualifiedName(name: "jsonb_typeof"),
            ]
        )
    }

    @Test("SQL-syntax functions appear under their catalog names")
    func syntaxFunctions() throws {
        let analysis = try guardrail.analyze("SELECT extract(year FROM ts), substring(s FROM 1 FOR 2), trim(s) FROM t")
        #expect(analysis.functions.allSatisfy { $0.schema == "pg_catalog" })
        #expect(analysis.functions.map(\.name).contains("extract"))
        #expect(analysis.functions.map(\.name).contains("substring"))
    }

    @Test("column references resolve through the FROM-clause aliases of their level")
    func columnResolution() throws {
        let analysis = try guardrail.analyze(
            """
            SELECT r.gender, e.category, weight, public.respondents.age, s.n, g.i
            FROM public.respondents
            JOIN events e ON e.respondent_id = respondents.id
            CROSS JOIN (SELECT count(*) AS n FROM products) s
            CROSS JOIN generate_series(1, 2) g(i)
            CROSS JOIN respondents r
            """
        )
        let byText = Dictionary(
            analysis.columnReferences.map { (($0.qualifier + [$0.name ?? "*"]).joined(separator: "."), $0) },
            uniquingKeysWith: { first, _ in first }
        )
        #expect(byText["r.gender"]?.relation == QualifiedName(name: "respondents"))
        #expect(byText["e.category"]?.relation == QualifiedName(name: "events"))
        #expect(byText["respondents.id"]?.relation == QualifiedName(schema: "public", name: "respondents"))
        #expect(byText["public.respondents.age"]?.relation == QualifiedName(schema: "public", name: "respondents"))
        #expect(byText["s.n"]?.source == .subquery(alias: "s"))
        #expect(byText["g.i"]?.source == .function(alias: "g"))
        // Unqualified with several FROM items: not determinable without the catalog.
        #expect(byText["weight"] != nil)
        #expect(byText["weight"]?.source == nil)
    }

    @Test("unqualified columns resolve when the level reads one item; correlated ones reach outward")
    func unqualifiedAndCorrelated() throws {
        let analysis = try guardrail.analyze(
            """
            WITH w AS (SELECT id FROM respondents)
            SELECT age, (SELECT max(e.amount) FROM events e WHERE e.respondent_id = r.id) FROM respondents r
            WHERE id IN (SELECT id FROM w)
            """
        )
        let age = try #require(analysis.columnReferences.first { $0.name == "age" })
        #expect(age.relation == QualifiedName(name: "respondents"))
        #expect(age.queryLevel == 0)
        let correlated = try #require(analysis.columnReferences.first { $0.qualifier == ["r"] })
        #expect(correlated.relation == QualifiedName(name: "respondents"))
        #expect(correlated.queryLevel != 0)
        let fromCTE = try #require(analysis.columnReferences.last { $0.name == "id" && $0.qualifier.isEmpty })
        #expect(fromCTE.source == .commonTableExpression("w"))
    }

    @Test("an aliased join hides its members' names")
    func aliasedJoin() throws {
        let analysis = try guardrail.analyze("SELECT j.id, a.x FROM (a JOIN b USING (id)) AS j, c AS a")
        #expect(analysis.columnReferences.first { $0.qualifier == ["j"] }?.source == .join(alias: "j"))
        #expect(analysis.columnReferences.first { $0.qualifier == ["a"] }?.relation == QualifiedName(name: "c"))
    }

    @Test("star references are recorded without a name")
    func stars() throws {
        let analysis = try guardrail.analyze("SELECT *, r.* FROM respondents r")
        #expect(analysis.columnReferences.count == 2)
        #expect(analysis.columnReferences.allSatisfy { $0.name == nil })
        #expect(analysis.columnReferences[1].relation == QualifiedName(name: "respondents"))
    }

    @Test("aggregate calls carry their columns, resolved, and not those of subqueries inside them")
    func aggregateCalls() throws {
        let analysis = try guardrail.analyze(
            """
            SELECT r.region,
                   sum(r.weight * e.amount) FILTER (WHERE e.category = 'sports'),
                   count(*),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY e.duration_s),
                   count(*) FILTER (WHERE e.id IN (SELECT p.id FROM products p)),
                   rank() OVER (ORDER BY r.region)
            FROM respondents r JOIN events e ON e.respondent_id = r.id
            GROUP BY r.region
            """
        )
        let calls = analysis.aggregateCalls
        #expect(calls.map(\.name) == ["sum", "count", "percentile_cont", "count"])
        #expect(calls[0].columns.map { $0.name ?? "*" } == ["weight", "amount", "category"])
        #expect(
            calls[0].columns.map(\.relation) == [QualifiedName(name: "respondents"), QualifiedName(name: "events"), QualifiedName(name: "events")]
        )
        #expect(calls[1].isStar && calls[1].columns.isEmpty)
        #expect(calls[2].columns.map(\.name) == ["duration_s"])
        #expect(calls[3].columns.map(\.name) == ["id"])
        #expect(calls.allSatisfy { $0.queryLevel == 0 })
        #expect(calls[0].location.line == 2)
        #expect(calls[0].isSummarizing)
    }

    @Test("window calls are not aggregate calls; aggregates nested in windows are")
    func windowsVersusAggregates() throws {
        let analysis = try guardrail.analyze(
            "SELECT sum(count(*)) OVER (), count(*) OVER (PARTITION BY g), max(x) FROM t GROUP BY g"
        )
        #expect(analysis.aggregateCalls.map(\.name) == ["count", "max"])
        #expect(analysis.aggregateCalls.map(\.isSummarizing) == [true, false])
    }

    @Test("allowed functions pass and are listed")
    func allowedFunctions() throws {
        let analysis = try guardrail.analyze(
            "SELECT pg_sleep(0.1), now(), generate_series(1, 2), jsonb_build_object('a', 1), date_trunc('month', now()), currval('s'), random()"
        )
        #expect(analysis.functions.map(\.name).contains("pg_sleep"))
        #expect(analysis.functions.count == 7)
    }
}
