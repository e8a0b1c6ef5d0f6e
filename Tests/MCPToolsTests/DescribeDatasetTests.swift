import AnalyticsCore
import Foundation
import Testing

@testable import MCPTools

@Suite("describe_dataset: progressive context levels 1–3")
struct DescribeDatasetTests {
    @Test("level 1 of a 50-table dataset stays within 2k tokens and lists every table with its size")
    func level1Budget() async throws {
        let seeds = [ToolTestbed.Seed(id: "wide_survey", name: "Wide Survey", description: "Fifty waves of answers.", weighted: true)]
        try await ToolTestbed.run(seeds: seeds, profiles: ["wide_survey": ProfileFixtures.wide(datasetID: "wide_survey")]) { bed in
            let result = try await bed.call("describe_dataset", ["dataset_id": "wide_survey"])
            let context = try #require(result.structured)
            let size = context.serialized().count
            #expect(size <= 8_000, "level 1 is \(size) characters")
            #expect((result.text ?? "").count <= 8_000)
            #expect(context["level"] == 1)
            let tables = try #require(context["tables"]?.arrayValue)
            #expect(tables.count == 50)
            #expect(tables.first?["rows"] == 10_000)
            #expect(tables.first?["columns"] == 30)
            #expect(context["tables"]?.serialized().contains("question_") == false, "level 1 lists no columns")
        }
    }

    @Test("level 1 shrinks to table names, then to as many names as fit, when tables are very many")
    func level1Summarises() async throws {
        let seeds = [ToolTestbed.Seed(id: "huge", name: "Huge", description: "Many tables.")]
        try await ToolTestbed.run(seeds: seeds, profiles: ["huge": ProfileFixtures.wide(datasetID: "huge", tables: 400, columns: 2)]) { bed in
            let context = try #require(try await bed.call("describe_dataset", ["dataset_id": "huge"]).structured)
            #expect(context.serialized().count <= 8_000)
            #expect(context["tables"] == nil)
            let names = try #require(context["table_names"]?.arrayValue)
            #expect(names.count < 400 && names.count > 50)
            #expect(context["omitted_table_count"] == .int(Int64(400 - names.count)))
            #expect(context["hint"]?.stringValue?.contains("search_datasets") == true)
        }
    }

    @Test("level 2 covers only the requested tables, with column statistics and the weighting config")
    func level2RequestedTables() async throws {
        try await ToolTestbed.run { bed in
            let result = try await bed.call("describe_dataset", ["dataset_id": "tv_panel", "level": 2, "tables": ["viewing_events"]])
            let context = try #require(result.structured)
            let tables = try #require(context["tables"]?.arrayValue)
            #expect(tables.compactMap { $0["name"]?.stringValue } == ["viewing_events"])
            let channel = tables[0]["columns"]?.arrayValue?.first { $0["name"] == "channel" }
            #expect(channel?["top_values"] == [["Sports 1", 0.3]])
            #expect(tables[0]["foreign_keys"] == ["(respondent_id) → respondents(respondent_id)"])
            #expect(context["weighting"]?["weight_column"] == "weight")
            #expect(tables[0]["sample_rows"] == nil, "samples are level 3")
            #expect((result.text ?? "").contains("## viewing_events (4000000 rows)"))
            #expect(!(result.text ?? "").contains("respondents (12000"))
        }
    }

    @Test("level 2 masks values of personal columns and rounds statistics")
    func level2Masks() async throws {
        try await ToolTestbed.run { bed in
            let result = try await bed.call("describe_dataset", ["dataset_id": "tv_panel", "level": 2, "tables": ["respondents"]])
            let serialized = try #require(result.structured).serialized()
            #expect(!serialized.contains("@example.com"))
            #expect(!(result.text ?? "").contains("@example.com"))
            let columns = result.structured?["tables"]?.arrayValue?.first?["columns"]?.arrayValue ?? []
            let email = columns.first { $0["name"] == "email" }
            #expect(email?["pii"] == "email")
            #expect(email?["values"] == "masked (personal data)")
            #expect(columns.first { $0["name"] == "weight" }?["quantiles"]?["p50"] == 1.012)
        }
    }

    @Test("level 3 adds at most 5 sample rows per table, personal values masked, and quality notes")
    func level3Samples() async throws {
        try await ToolTestbed.run { bed in
            let result = try await bed.call("describe_dataset", ["dataset_id": "tv_panel", "level": 3, "tables": ["respondents"]])
            let context = try #require(result.structured)
            let samples = try #require(context["tables"]?.arrayValue?.first?["sample_rows"]?.arrayValue)
            #expect(samples.count == 5)  // the profile holds 7
            #expect(samples.allSatisfy { $0["email"] == "[masked]" })
            #expect(samples.allSatisfy { $0["city"] == "Mumbai" })
            #expect(!context.serialized().contains("@example.com"))
            #expect(!(result.text ?? "").contains("@example.com"))
            #expect(context["quality_notes"] == ["Login can write to table respondents"])
        }
    }

    @Test("levels 2–3 without tables fill the budget and name the tables left out")
    func detailBudget() async throws {
        let seeds = [ToolTestbed.Seed(id: "wide_survey", name: "Wide Survey", description: "Fifty waves.")]
        try await ToolTestbed.run(
            seeds: seeds,
            profiles: ["wide_survey": ProfileFixtures.wide(datasetID: "wide_survey")],
            limits: ToolLimits(detailBudget: 20_000)
        ) { bed in
            let context = try #require(try await bed.call("describe_dataset", ["dataset_id": "wide_survey", "level": 3]).structured)
            #expect(context.serialized().count <= 20_000)
            let included = context["tables"]?.arrayValue?.count ?? 0
            let omitted = context["omitted_tables"]?.arrayValue?.count ?? 0
            #expect(included >= 1)
            #expect(included + omitted == 50)
            #expect(omitted > 0)
            #expect(context["hint"]?.stringValue?.contains("tables=") == true)
        }
    }

    @Test("a dataset without a profile still gets a useful answer at every level")
    func noProfile() async throws {
        try await ToolTestbed.run { bed in
            for level in 1...3 {
                let result = try await bed.call("describe_dataset", ["dataset_id": "retail_survey", "level": .int(Int64(level))])
                #expect(result.isError != true)
                let context = try #require(result.structured)
                #expect(context["name"] == "Retail Shopper Survey")
                #expect(context["tables"] == [])
                #expect(context["profiled_at"] == .null)
                #expect(context["hint"]?.stringValue?.contains("information_schema") == true)
            }
        }
    }
}

@Suite("dataset summaries")
struct DatasetSummaryTests {
    @Test("coverage is reported in days whatever the columns' precision")
    func coverageDays() {
        #expect(DatasetSummary.day("2026-11-25 23:40:00") == "2026-11-25")
        #expect(DatasetSummary.day("2026-11-25T23:40:00Z") == "2026-11-25")
        #expect(DatasetSummary.day("2025-08-26") == "2025-08-26")
        #expect(DatasetSummary.day("25/08/2026") == "25/08/2026")
        #expect(DatasetSummary.summary(of: "First sentence. Second one.") == "First sentence.")
        #expect(DatasetSummary.summary(of: String(repeating: "a", count: 300)).count == 160)
    }
}
