import AnalyticsCore
import SQLGuard
import Testing

/// Inputs built to exhaust the parser's stack must come back as errors, never crash the process.
@Suite("Size and depth limits")
struct LimitsTests {
    let guardrail = SQLGuard()

    func code(_ sql: String) -> ErrorCode? {
        do {
            _ = try guardrail.analyze(sql)
            return nil
        } catch {
            return error.code
        }
    }

    @Test("operator chains deep enough to overflow libpg_query's stack are refused")
    func deepChains() {
        // 100,000 levels: libpg_query alone needs ~37 MB of stack for this (crashes on 8 MiB).
        let plus = "SELECT " + Array(repeating: "1", count: 100_000).joined(separator: "+")
        #expect(plus.utf8.count > SQLGuard.inlineLength)
        #expect(code(plus) == .sqlParseError)
        let casts = "SELECT 1" + String(repeating: "::int", count: 40_000)
        #expect(code(casts) == .sqlParseError)
        let unions = "SELECT 1" + String(repeating: " UNION SELECT 1", count: 15_000)
        #expect(code(unions) == .sqlParseError)
        let joins = "SELECT * FROM a" + String(repeating: " JOIN a ON true", count: 15_000)
        #expect(code(joins) == .sqlParseError)
    }

    @Test("a chain just short of the inline length is refused on the caller's thread without harm")
    func deepButShort() {
        let terms = (SQLGuard.inlineLength - 10) / 2
        let sql = "SELECT " + Array(repeating: "1", count: terms).joined(separator: "+")
        #expect(sql.utf8.count <= SQLGuard.inlineLength)
        #expect(code(sql) == .sqlParseError)
    }

    @Test("long but flat statements are analyzed on the large-stack path")
    func longFlat() throws {
        let list = (1...20_000).map(String.init).joined(separator: ", ")
        let sql = "SELECT count(*) FROM respondents WHERE id IN (\(list))"
        #expect(sql.utf8.count > SQLGuard.inlineLength)
        let analysis = try guardrail.analyze(sql)
        #expect(analysis.isAggregated)
        #expect(analysis.relations == [QualifiedName(name: "respondents")])
        let forbidden = "SELECT pg_read_file('x') FROM respondents WHERE id IN (\(list))"
        #expect(code(forbidden) == .sqlForbiddenFunction)
    }

    @Test("a reasonable chain of 300 terms is accepted")
    func reasonableChain() throws {
        let sql = "SELECT " + (1...300).map { "c\($0)" }.joined(separator: " + ") + " FROM t"
        let analysis = try guardrail.analyze(sql)
        #expect(analysis.columnReferences.count == 300)
    }

    @Test("text over the maximum length is refused before parsing")
    func tooLong() throws {
        let sql = "SELECT '" + String(repeating: "x", count: SQLGuard.maximumLength) + "'"
        do {
            _ = try guardrail.analyze(sql)
            Issue.record("accepted")
        } catch {
            #expect(error.code == .sqlParseError)
            #expect(error.details?["maximum"] == .int(Int64(SQLGuard.maximumLength)))
        }
    }
}
