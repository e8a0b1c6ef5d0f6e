import AnalyticsCore
import DataPlane
import SQLGuard
import Testing

/// The checks free SQL gets on a weighted dataset (the engine's inspector hook).
@Suite("Weighting inspector")
struct WeightingInspectorTests {
    static func dataset(policy: String = "warn") -> Dataset {
        WeightingPanel.dataset(.sqlite, weighting: ConfigEdits.demo { $0["unweighted_policy"] = .string(policy) })
    }

    static func inspect(_ sql: String, persona: String? = nil, policy: String = "warn") throws -> [QueryWarning] {
        let analysis = try SQLGuard().analyze(sql)
        return try WeightingInspector.inspect(analysis, Self.dataset(policy: policy), QueryRequest(datasetID: "panel", sql: sql, persona: persona))
    }

    @Test("an unweighted count over respondents warns with a corrected example")
    func warns() throws {
        let warnings = try Self.inspect("SELECT region, count(*) FROM respondents GROUP BY region")
        let warning = try #require(warnings.first)
        #expect(warnings.count == 1)
        #expect(warning.code == "UNWEIGHTED_AGGREGATE")
        #expect(
            warning.message
                == "count(*) at line 1, column 16 summarizes respondents without the weight column weight: unweighted figures misstate the population."
        )
        #expect(warning.hint?.contains("count(*) → sum(weight) for the weighted count") == true)
        #expect(
            warning.hint?.contains("Example: SELECT r.gender, count(*) AS n, sum(r.weight) AS weighted_base FROM respondents r GROUP BY 1.") == true
        )
    }

    @Test("averages and sums through a join get their weighted forms")
    func joins() throws {
        let sql = "SELECT r.nccs, avg(v.minutes), sum(v.minutes) FROM tv_viewing v JOIN respondents r ON r.respondent_id = v.respondent_id GROUP BY 1"
        let warning = try #require(try Self.inspect(sql).first)
        #expect(warning.hint?.contains("avg(minutes) → sum(weight * minutes) / sum(weight)") == true)
        #expect(warning.hint?.contains("sum(minutes) → sum(weight * minutes)") == true)
    }

    @Test("weighted queries and unrelated tables pass")
    func passes() throws {
        #expect(try Self.inspect("SELECT region, sum(weight), count(*) FROM respondents GROUP BY region").isEmpty)
        #expect(try Self.inspect("SELECT genre, count(*) FROM tv_viewing GROUP BY genre").isEmpty)
        #expect(try Self.inspect("SELECT * FROM respondents LIMIT 3").isEmpty)
    }

    @Test("the block policy refuses with UNWEIGHTED_AGGREGATE")
    func blocks() throws {
        let error = try #require(throws: AnalyticsError.self) { _ = try Self.inspect("SELECT avg(household_size) FROM respondents", policy: "block") }
        #expect(error.code == .unweightedAggregate)
        #expect(error.httpStatus == 400)
        #expect(error.details?["aggregates"]?.arrayValue?.first?["function"] == "avg")
        #expect(error.hint?.contains("sum(weight * household_size) / sum(weight)") == true)
    }

    @Test("a persona is echoed with the filter it stands for, never applied")
    func persona() throws {
        let warnings = try Self.inspect("SELECT sum(weight) FROM respondents", persona: "Female 25-34 NCCS A")
        let note = try #require(warnings.first)
        #expect(note.code == "PERSONA_NOT_APPLIED")
        #expect(note.message.contains("Persona 'Female 25-34 NCCS A' is recorded"))
        #expect(note.hint?.contains("WHERE gender = 'Female' AND age_band = '25-34' AND nccs IN ('A', 'A1')") == true)
        let unknown = try #require(try Self.inspect("SELECT sum(weight) FROM respondents", persona: "martians").first)
        #expect(unknown.code == "UNKNOWN_PERSONA")
    }

    @Test("datasets without weighting pass untouched")
    func unweightedDataset() throws {
        let analysis = try SQLGuard().analyze("SELECT count(*) FROM respondents")
        let dataset = WeightingPanel.dataset(.sqlite, weighting: nil)
        #expect(try WeightingInspector.inspect(analysis, dataset, QueryRequest(datasetID: "panel", sql: "", persona: "x")).isEmpty)
    }
}
