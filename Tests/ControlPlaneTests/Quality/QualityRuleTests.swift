import AnalyticsCore
import ControlPlane
import Foundation
import TestSupport
import Testing

/// Every rule fires on a crafted bad dataset (with evidence checked against direct SQL) and the
/// clean demo panel produces no findings.
@Suite("Quality rules")
struct QualityRuleTests {
    /// A respondent table with bad weights, bad names, mixed date formats, empty and constant
    /// columns and an e-mail column; an event table without a key, with duplicate ids and orphaned
    /// respondents; a purchase table whose declared foreign key has orphans.
    static func badSetup(_ backend: StoreBackend) -> [String] {
        var respondents: [String] = []
        for i in 1...200 {
            let weight: String =
                switch i {
                case 1...10: "NULL"
                case 11...15: "0"
                case 16...18: "-1"
                case 19: "150"
                default: "1.0"
                }
            let signup = i % 4 == 0 ? "2\(i % 8)/0\(1 + i % 9)/2024" : "2024-0\(1 + i % 9)-1\(i % 10)"
            let mostlyNull = i % 5 < 3 ? "NULL" : "'v\(i % 3)'"
            respondents.append(
                "(\(i), '\(i % 2 == 0 ? "F" : "M")', 'o\(i % 3)', '\(signup)', \(weight), NULL, \(mostlyNull), 'x', 'r\(i)@panel.example.org')"
            )
        }
        let events = (1...300).map { i in "(\(i % 250), \(i % 260 + 1), \(i * 3))" }
        let purchases = (1...100).map { i in "(\(i), \(i % 2 == 0 ? i : 500 + i))" }
        let foreignKey = backend == .sqlite ? " REFERENCES respondents (respondent_id)" : ""
        var statements = [
            """
            CREATE TABLE respondents (
                respondent_id INTEGER PRIMARY KEY, "Gender" TEXT, "order" TEXT, "signup date" TEXT, weight DOUBLE PRECISION,
                empty_col TEXT, mostly_null TEXT, constant_col TEXT, contact_email TEXT
            )
            """,
            "INSERT INTO respondents VALUES " + respondents.joined(separator: ", "),
            "CREATE TABLE events (id INTEGER, respondent_id INTEGER, amount INTEGER)",
            "INSERT INTO events VALUES " + events.joined(separator: ", "),
            "CREATE TABLE purchases (purchase_id INTEGER PRIMARY KEY, respondent_id INTEGER\(foreignKey))",
            "INSERT INTO purchases VALUES " + purchases.joined(separator: ", "),
        ]
        if backend == .postgres {
            statements.append(
                "ALTER TABLE purchases ADD CONSTRAINT purchases_respondent_fk FOREIGN KEY (respondent_id) REFERENCES respondents (respondent_id) NOT VALID"
            )
        }
        return statements
    }

    static func run(
        _ dataset: TestDataset,
        _ profiler: ProfilerConfiguration = ProfilerConfiguration(),
        weighting: JSONValue? = nil,
        connector: Bool = true
    )
        async throws -> (DatasetProfile, [QualityFinding])
    {
        let profile = try await ProfilingFixtures.profile(dataset, profiler)
        let context = QualityContext(profile: profile, weighting: weighting, connector: connector ? dataset.connector : nil)
        return (profile, try await QualityEngine(logger: ProfilingFixtures.logger).run(context))
    }

    static func finding(_ findings: [QualityFinding], _ rule: String, table: String? = nil, column: String? = nil) -> QualityFinding? {
        findings.first { $0.ruleID == rule && (table == nil || $0.table == table) && (column == nil || $0.column == column) }
    }

    @Test("every rule fires on the crafted bad tables, with evidence that matches the data", arguments: StoreBackend.allCases)
    func everyRuleFires(_ backend: StoreBackend) async throws {
        try await ProfilingFixtures.withDataset(backend, setup: Self.badSetup(backend)) { dataset in
            let (profile, findings) = try await Self.run(dataset)
            #expect(profile.suggestedWeighting?["weight_column"] == "weight", "a named weight is offered even with bad values")
            let fired = Set(findings.map(\.ruleID))
            let expected: Set<String> = [
                "naming.not_snake_case", "naming.reserved_word", "dates.inconsistent_format", "weight.nulls", "weight.non_positive",
                "weight.extreme_ratio", "weight.low_efficiency", "column.all_null", "column.high_null", "column.constant", "key.missing",
                "key.duplicates", "fk.orphans", "pii.exposure",
            ]
            #expect(expected.subtracting(fired).isEmpty, "did not fire: \(expected.subtracting(fired).sorted())")
            #expect(!fired.contains("weight.missing") && !fired.contains("quality.check_failed"))
            #expect(findings.map(\.severity) == findings.map(\.severity).sorted(by: >), "most severe first")

            #expect(Self.finding(findings, "naming.not_snake_case", column: "Gender") != nil)
            #expect(Self.finding(findings, "naming.not_snake_case", column: "signup date")?.evidence["problems"] == ["whitespace"])
            #expect(Self.finding(findings, "naming.reserved_word", column: "order") != nil)
            let dates = try #require(Self.finding(findings, "dates.inconsistent_format", column: "signup date"))
            #expect(dates.evidence["format_shares"]?["DD/MM/YYYY"]?.doubleValue == 0.25)
            #expect(dates.evidence["format_shares"]?["YYYY-MM-DD"]?.doubleValue == 0.75)

            let nulls = try await dataset.value("SELECT count(*) - count(weight) AS n FROM respondents")?.doubleValue
            #expect(Self.finding(findings, "weight.nulls", table: "respondents", column: "weight")?.evidence["null_rows"]?.doubleValue == nulls)
            let nonPositive = try await dataset.value("SELECT count(*) AS n FROM respondents WHERE weight <= 0")?.doubleValue
            #expect(Self.finding(findings, "weight.non_positive")?.evidence["non_positive_rows"]?.doubleValue == nonPositive)
            #expect(Self.finding(findings, "weight.extreme_ratio")?.evidence["max"]?.doubleValue == 150)
            let efficiency = try #require(Self.finding(findings, "weight.low_efficiency")?.evidence["ratio"]?.doubleValue)
            let kish = try #require(
                try await dataset.rows("SELECT sum(weight) AS s, sum(weight * weight) AS ss, count(*) AS n FROM respondents WHERE weight > 0").first
            )
            let s = try #require(kish["s"]?.doubleValue)
            let ss = try #require(kish["ss"]?.doubleValue)
            let n = try #require(kish["n"]?.doubleValue)
            #expect(abs(efficiency - s * s / ss / n) < 1e-9)

            #expect(Self.finding(findings, "column.all_null", column: "empty_col") != nil)
            #expect(Self.finding(findings, "column.high_null", column: "mostly_null")?.evidence["null_fraction"]?.doubleValue == 0.6)
            #expect(Self.finding(findings, "column.constant", column: "constant_col") != nil)
            #expect(Self.finding(findings, "column.constant", column: "Gender") == nil)

            #expect(Self.finding(findings, "key.missing", table: "events")?.evidence["candidate_keys"] == ["id"])
            let duplicated = try await dataset.value("SELECT count(*) AS n FROM (SELECT id FROM events GROUP BY id HAVING count(*) > 1) AS d")?
                .intValue
            #expect(Self.finding(findings, "key.duplicates", table: "events", column: "id")?.evidence["duplicated_values"]?.intValue == duplicated)

            let implied = try await dataset.value(
                "SELECT count(*) AS n FROM events e WHERE NOT EXISTS (SELECT 1 FROM respondents r WHERE r.respondent_id = e.respondent_id)"
            )?.intValue
            let impliedFinding = try #require(Self.finding(findings, "fk.orphans", table: "events"))
            #expect(impliedFinding.evidence["orphan_rows"]?.intValue == implied)
            #expect(impliedFinding.evidence["declared"] == false)
            #expect(impliedFinding.severity == .error)
            let declared = try #require(Self.finding(findings, "fk.orphans", table: "purchases"))
            #expect(declared.evidence["orphan_rows"] == 50)
            #expect(declared.evidence["declared"] == true)
            #expect(declared.evidence["references"] == "respondents(respondent_id)")

            let pii = try #require(Self.finding(findings, "pii.exposure", column: "contact_email"))
            #expect(pii.evidence == ["kind": "email"])
            #expect(!findings.map(\.message).joined().contains("@panel.example.org"), "findings never quote personal data")
        }
    }

    @Test("a dataset without any weight gets weight.missing; a configured weight that does not exist is an error", arguments: StoreBackend.allCases)
    func missingWeight(_ backend: StoreBackend) async throws {
        try await ProfilingFixtures.withDataset(backend, setup: Self.badSetup(backend)) { dataset in
            let (_, unweighted) = try await Self.run(dataset, ProfilerConfiguration(tables: ["events", "purchases"]))
            #expect(Self.finding(unweighted, "weight.missing")?.severity == .warning)

            let (_, misconfigured) = try await Self.run(dataset, weighting: ["respondent_table": "respondents", "weight_column": "wt_final"])
            let finding = try #require(Self.finding(misconfigured, "weight.missing"))
            #expect(finding.severity == .error)
            #expect(finding.column == "wt_final")
            #expect(Self.finding(misconfigured, "weight.nulls") == nil, "the configured column wins over the suggestion")
        }
    }

    @Test("without a connector the data checks are skipped and profile-based ones still run")
    func withoutConnector() async throws {
        try await ProfilingFixtures.withDataset(.sqlite, setup: Self.badSetup(.sqlite)) { dataset in
            let (_, findings) = try await Self.run(dataset, connector: false)
            let fired = Set(findings.map(\.ruleID))
            #expect(!fired.contains("key.duplicates") && !fired.contains("fk.orphans"))
            #expect(fired.isSuperset(of: ["weight.non_positive", "weight.extreme_ratio", "key.missing", "pii.exposure", "naming.reserved_word"]))
        }
    }

    @Test("the clean demo panel produces no findings", arguments: StoreBackend.allCases)
    func demoIsClean(_ backend: StoreBackend) async throws {
        try await ProfilingFixtures.withDataset(backend, demoScale: 0.2) { dataset in
            let (_, findings) = try await Self.run(dataset)
            #expect(findings == [], "\(findings.map { "\($0.ruleID) \($0.table ?? "") \($0.column ?? ""): \($0.message)" })")
            let (_, sampled) = try await Self.run(dataset, ProfilerConfiguration(samplingThreshold: 12_000, targetSampleRows: 10_000))
            #expect(sampled == [], "also when tv_viewing is sampled")
        }
    }
}
