import SQLGuard
import Testing

@Suite("Fingerprints and normalisation")
struct FingerprintTests {
    let guardrail = SQLGuard()

    @Test("the same shape with other constants, comments and layout has the same fingerprint")
    func sameShape() throws {
        let variants = [
            "SELECT * FROM events WHERE respondent_id = 5 AND category = 'sports' LIMIT 10",
            "select *\nfrom events\nwhere respondent_id = 42 and category = 'news' limit 500",
            "SELECT * FROM events /* hi */ WHERE respondent_id = -1 AND category = 'x' LIMIT 1 -- bye",
        ]
        let fingerprints = try variants.map { try guardrail.analyze($0).fingerprint }
        #expect(Set(fingerprints).count == 1)
        #expect(fingerprints[0].count == 16)
        #expect(fingerprints[0].allSatisfy { $0.isHexDigit })
    }

    @Test("different shapes have different fingerprints")
    func differentShapes() throws {
        let shapes = [
            "SELECT * FROM events WHERE respondent_id = 5",
            "SELECT * FROM events WHERE category = 'a'",
            "SELECT id FROM events WHERE respondent_id = 5",
            "SELECT * FROM respondents WHERE id = 5",
            "SELECT count(*) FROM events",
            "SELECT * FROM events WHERE respondent_id = 5 ORDER BY id",
            "EXPLAIN SELECT * FROM events WHERE respondent_id = 5",
        ]
        let fingerprints = try shapes.map { try guardrail.analyze($0).fingerprint }
        #expect(Set(fingerprints).count == shapes.count)
    }

    @Test("normalisation replaces every constant with a numbered parameter")
    func normalisation() throws {
        let analysis = try guardrail.analyze(
            "SELECT region, count(*) FROM respondents WHERE age > 30 AND gender = 'Female' AND joined_on < DATE '2025-01-01' GROUP BY region LIMIT 5"
        )
        #expect(
            analysis.normalizedSQL
                == "SELECT region, count(*) FROM respondents WHERE age > $1 AND gender = $2 AND joined_on < DATE $3 GROUP BY region LIMIT $4"
        )
        let other = try guardrail.analyze(
            "SELECT region, count(*) FROM respondents WHERE age > 50 AND gender = 'Male' AND joined_on < DATE '2020-01-01' GROUP BY region LIMIT 9"
        )
        #expect(other.normalizedSQL == analysis.normalizedSQL)
        #expect(other.fingerprint == analysis.fingerprint)
    }

    @Test("normalised text carries no literal values")
    func noLiteralsLeft() throws {
        let analysis = try guardrail.analyze("SELECT * FROM t WHERE secret = 'hunter2' OR pin = 1234 OR note = $$dollar$$")
        #expect(!analysis.normalizedSQL.contains("hunter2"))
        #expect(!analysis.normalizedSQL.contains("1234"))
        #expect(!analysis.normalizedSQL.contains("dollar"))
    }
}
