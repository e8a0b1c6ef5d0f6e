import AnalyticsCore
import DataPlane
import DemoPanel
import Foundation
import TestSupport
import Testing

/// A weighting config checked against the live panel on both backends: the demo config passes;
/// each broken config is rejected with the reason.
@Suite("Weighting config: live schema validation")
struct SchemaValidationTests {
    static func validate(_ document: JSONValue, on backend: StoreBackend) async throws -> WeightingValidationReport {
        let config = try WeightingConfig(document: document)
        return try await WeightingPanel.withConnector(backend) { connector, dataset in
            try await WeightingSchemaValidator(connector: connector, dialect: SQLDialect(dataset.connectionKind)).validate(config)
        }
    }

    @Test("the demo config matches the demo panel", arguments: StoreBackend.allCases)
    func demoConfigIsValid(backend: StoreBackend) async throws {
        let rows = try await PanelRows.load(backend)
        let report = try await Self.validate(DemoPanel.weightingConfig, on: backend)
        #expect(report.problems == [])
        #expect(report.isValid)
        let weights = try #require(report.weights)
        #expect(weights.respondents == rows.respondents.count)
        #expect(weights.negative == 0 && weights.missing == 0)
        #expect(Oracle.close(weights.sum, rows.respondents.reduce(0) { $0 + $1.weight }))
        #expect(weights.minimum == rows.respondents.map(\.weight).min())
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var edit: @Sendable (inout [String: JSONValue]) -> Void
        var problem: String
        var testDescription: String { self.name }
    }

    static let cases: [Case] = [
        Case(name: "missing weight column", edit: { $0["weight_column"] = "wgt" }, problem: "weight_column: 'wgt' is not a column of respondents"),
        Case(
            name: "text weight column",
            edit: {
                $0["respondent_table"] = "respondents_bad"
                $0["weight_column"] = "weight_text"
            },
            problem: "weight_column: 'weight_text' is text, not numeric"
        ),
        Case(
            name: "negative weights",
            edit: { $0["respondent_table"] = "respondents_bad" },
            problem: "weight_column: 'weight' has 3 negative weights (minimum -0.50)"
        ),
        Case(
            name: "unknown dimension column",
            edit: { root in
                var dimensions = root["dimensions"]?.arrayValue ?? []
                dimensions.append(["column": "income", "label": "Income"])
                root["dimensions"] = .array(dimensions)
            },
            problem: "dimensions[5].column: 'income' is not a column of respondents"
        ),
        Case(
            name: "merge naming a value that does not occur",
            edit: { root in
                ConfigEdits.dimension("nccs", in: &root) { dimension in
                    var merge = dimension["merge"]?.objectValue ?? [:]
                    merge["A2"] = "A"
                    dimension["merge"] = .object(merge)
                }
            },
            problem: "dimensions[2].merge.A2: raw value 'A2' does not occur in respondents.nccs"
        ),
        Case(
            name: "missing respondent table",
            edit: { $0["respondent_table"] = "panelists" },
            problem: "respondent_table: 'panelists' does not exist or cannot be read"
        ),
        Case(
            name: "event measure that is not a column",
            edit: { root in
                var tables = root["event_tables"]?.arrayValue ?? []
                var tv = tables[0].objectValue ?? [:]
                tv["measures"] = [["column": "seconds", "aggregations": ["sum"]]]
                tables[0] = .object(tv)
                root["event_tables"] = .array(tables)
            },
            problem: "event_tables[0].measures[0].column: 'seconds' is not a column of tv_viewing"
        ),
    ]

    @Test("broken configs are rejected with the reason", arguments: StoreBackend.allCases, Self.cases)
    func rejected(backend: StoreBackend, testCase: Case) async throws {
        let report = try await Self.validate(ConfigEdits.demo(testCase.edit), on: backend)
        #expect(!report.isValid)
        #expect(report.problems.contains(testCase.problem), "problems: \(report.problems)")
        #expect(report.error.code == .invalidWeightingConfig)
        #expect(report.error.details?["problems"]?.arrayValue?.contains(.string(testCase.problem)) == true)
    }

    @Test("missing and zero weights are reported as warnings with counts", arguments: StoreBackend.allCases)
    func weightWarnings(backend: StoreBackend) async throws {
        let report = try await Self.validate(ConfigEdits.demo { $0["respondent_table"] = "respondents_bad" }, on: backend)
        let weights = try #require(report.weights)
        #expect(weights.respondents == 200)
        #expect(weights.negative == 3 && weights.zero == 2 && weights.missing == 1)
        #expect(report.warnings.contains("weight_column: 'weight' is missing for 1 respondent; they are left out of every breakdown"))
        #expect(report.warnings.contains("weight_column: 'weight' is 0 for 2 respondents; they count in n but add nothing to weighted figures"))
    }
}
