import AnalyticsCore
import MetadataStore
import Testing

@testable import MCPTools

@Suite("weighted_breakdown over the real engine and weighting service")
struct WeightedBreakdownToolTests {
    /// The sample panel's config: one dimension, the default base rules.
    static let config: JSONValue = [
        "respondent_table": "respondents",
        "respondent_key": "respondent_id",
        "weight_column": "weight",
        "dimensions": [
            [
                "column": "gender", "label": "Gender",
                "values": [["value": "Female", "label": "Female"], ["value": "Male", "label": "Male"]],
            ]
        ],
    ]
    static let femaleShare: JSONValue = ["type": "share", "condition": ["column": "gender", "value": "Female"]]

    @Test("a share comes back with the sample's own weighted figures, as structured content and narrative text, logged once")
    func share() async throws {
        try await EngineTestbed.run { bed in
            _ = try await bed.weighting.setConfig("panel", document: Self.config, by: Principal(id: "r", name: "reviewer", role: .reviewer))
            let result = try await bed.call("weighted_breakdown", ["dataset_id": "panel", "measure": Self.femaleShare])
            #expect(result.isError != true, "\(result.text ?? "")")
            // The sample writes respondent i as Female when i is even, with weight 0.5 + (i mod 7) / 4.
            var base = 0.0
            var hit = 0.0
            for i in 1...40 {
                let weight = 0.5 + Double(i % 7) * 0.25
                base += weight
                if i % 2 == 0 { hit += weight }
            }
            let rows = try #require(result.structured?["rows"]?.arrayValue)
            #expect(rows.count == 1, "no dimensions: one row for the whole sample")
            let overall = try #require(rows.first)
            #expect(overall["unweighted_n"] == 40)
            let value = try #require(overall["value"]?.doubleValue)
            #expect(abs(value - hit / base) < 1e-9)
            #expect(abs((overall["weighted_base"]?.doubleValue ?? 0) - base) < 1e-9)
            #expect(overall["caution"] == true, "40 respondents is below the caution base of 100")
            #expect(result.text?.contains(String(format: "%.1f%%", hit / base * 100)) == true)
            let entries = try await bed.log().filter { $0.tool == "weighted_breakdown" }
            #expect(entries.count == 1)
            #expect(entries.first?.clientName == "inspector")
        }
    }

    @Test(
        "bad calls are error results with stable codes",
        arguments: [
            (["dataset_id": "panel", "measure": ["type": "share"], "sql": "SELECT 1"], "INVALID_REQUEST"),
            (["dataset_id": "panel", "measure": ["type": "median"]], "INVALID_REQUEST"),
            (["dataset_id": "elsewhere", "measure": ["type": "share"]], "DATASET_NOT_FOUND"),
            (["measure": ["type": "share"]], "INVALID_REQUEST"),
            (["dataset_id": "panel", "measure": Self.femaleShare], "WEIGHTING_NOT_CONFIGURED"),
        ] as [([String: JSONValue], String)]
    )
    func badCalls(arguments: [String: JSONValue], code: String) async throws {
        try await EngineTestbed.run { bed in
            let result = try await bed.call("weighted_breakdown", arguments)
            #expect(result.isError == true)
            #expect(result.errorCode == code, "\(result.text ?? "")")
        }
    }

    @Test("viewers may not run breakdowns")
    func viewerRefused() async throws {
        try await EngineTestbed.run { bed in
            _ = try await bed.weighting.setConfig("panel", document: Self.config, by: Principal(id: "r", name: "reviewer", role: .reviewer))
            let result = try await bed.call("weighted_breakdown", ["dataset_id": "panel", "measure": Self.femaleShare], as: ToolTestbed.viewer)
            #expect(result.errorCode == "ACCESS_DENIED")
        }
    }
}
