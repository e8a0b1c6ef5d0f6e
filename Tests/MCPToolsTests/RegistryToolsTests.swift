import AnalyticsCore
import Foundation
import MCP
import MetadataStore
import Testing

@testable import MCPTools

@Suite("Registry tools over a real SQLite store")
struct RegistryToolsTests {
    @Test("list_datasets shows active datasets only, with summary, tags, coverage and weighting")
    func listDatasets() async throws {
        try await ToolTestbed.run { bed in
            let result = try await bed.call("list_datasets")
            #expect(result.isError != true)
            let datasets = try #require(result.structured?["datasets"]?.arrayValue)
            #expect(datasets.compactMap { $0["id"]?.stringValue } == ["retail_survey", "tv_panel"])
            let tv = try #require(datasets.first { $0["id"] == "tv_panel" })
            #expect(tv["weighted"] == true)
            #expect(tv["summary"] == "Weighted panel of TV viewers.")
            #expect(tv["coverage"]?["first"] == "2024-01-01")
            #expect(tv["coverage"]?["last"] == "2024-12-31")
            #expect(tv["tags"] == ["tv", "panel"])
            #expect(datasets.first { $0["id"] == "retail_survey" }?["coverage"] == .null)
            let text = try #require(result.text)
            #expect(text.contains("tv_panel — TV Viewing Panel (weighted; 2024-01-01..2024-12-31"))
            #expect(!text.contains("draft_only"))

            let tagged = try await bed.call("list_datasets", ["tag": "retail"])
            #expect(tagged.structured?["datasets"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["retail_survey"])
            let none = try await bed.call("list_datasets", ["tag": "nothing"])
            #expect(none.structured?["datasets"] == [])
            #expect(none.text == "No active dataset is tagged 'nothing'.")
        }
    }

    @Test("an unknown tool is a JSON-RPC invalid-params error that lists the valid tools")
    func unknownTool() async throws {
        try await ToolTestbed.run { bed in
            do {
                _ = try await bed.call("drop_everything")
                Issue.record("expected an error")
            } catch let error as MCPError {
                #expect(error.code == -32602)
                let message = error.errorDescription ?? ""
                #expect(message.contains("drop_everything"))
                for name in ToolCatalog.standard.names { #expect(message.contains(name)) }
            }
        }
    }

    @Test("bad arguments are tool errors with INVALID_REQUEST or DATASET_NOT_FOUND and a hint")
    func badArguments() async throws {
        try await ToolTestbed.run { bed in
            let cases: [(String, [String: JSONValue], String)] = [
                ("list_datasets", ["tags": "tv"], "INVALID_REQUEST"),
                ("list_datasets", ["tag": 5], "INVALID_REQUEST"),
                ("search_datasets", [:], "INVALID_REQUEST"),
                ("search_datasets", ["query": "  "], "INVALID_REQUEST"),
                ("search_datasets", ["query": "tv", "limit": 0], "INVALID_REQUEST"),
                ("search_datasets", ["query": "tv", "limit": 2.5], "INVALID_REQUEST"),
                ("describe_dataset", [:], "INVALID_REQUEST"),
                ("describe_dataset", ["dataset_id": "draft_only"], "DATASET_NOT_FOUND"),
                ("describe_dataset", ["dataset_id": "nope"], "DATASET_NOT_FOUND"),
                ("describe_dataset", ["dataset_id": "tv_panel", "level": 4], "INVALID_REQUEST"),
                ("describe_dataset", ["dataset_id": "tv_panel", "tables": "respondents"], "INVALID_REQUEST"),
                ("describe_dataset", ["dataset_id": "tv_panel", "level": 2, "tables": ["no_such_table"]], "INVALID_REQUEST"),
                ("execute_sql", ["dataset_id": "tv_panel"], "INVALID_REQUEST"),
                ("execute_sql", ["dataset_id": "draft_only", "sql": "select 1"], "DATASET_NOT_FOUND"),
                ("run_query_plan", [:], "INVALID_REQUEST"),
                ("run_query_plan", ["plan": ["queries": []]], "INVALID_REQUEST"),
                ("run_query_plan", ["plan": ["queries": [["id": "a", "dataset_id": "tv_panel"]]]], "INVALID_REQUEST"),
                (
                    "run_query_plan", ["plan": ["queries": [["id": "a", "dataset_id": "tv_panel", "sql": "select 1", "breakdown": [:]]]]],
                    "INVALID_REQUEST"
                ),
                (
                    "run_query_plan",
                    [
                        "plan": [
                            "queries": [
                                ["id": "a", "dataset_id": "tv_panel", "sql": "select 1"], ["id": "a", "dataset_id": "tv_panel", "sql": "select 2"],
                            ]
                        ]
                    ],
                    "INVALID_REQUEST"
                ),
                ("get_recent_queries", ["limit": 500], "INVALID_REQUEST"),
                ("fetch", [:], "INVALID_REQUEST"),
                ("fetch", ["id": "tv_panel/nothing"], "NOT_FOUND"),
                ("list_available_tools", ["x": 1], "INVALID_REQUEST"),
            ]
            for (tool, arguments, code) in cases {
                let result = try await bed.call(tool, arguments)
                #expect(result.isError == true, "\(tool) \(arguments)")
                #expect(result.errorCode == code, "\(tool) \(arguments): \(result.structured?.serialized() ?? "")")
                let hint = result.structured?["error"]?["hint"]?.stringValue ?? ""
                #expect(!hint.isEmpty, "\(tool) \(arguments) has no hint")
                #expect((try? JSONValue.parse(result.text ?? "")) == result.structured, "text item is the error body")
            }
        }
    }

    @Test("a plan longer than the limit is PLAN_TOO_LARGE before anything runs")
    func planTooLarge() async throws {
        try await ToolTestbed.run(limits: ToolLimits(maxPlanQueries: 3)) { bed in
            let steps: [JSONValue] = (1...4).map { ["id": .string("q\($0)"), "dataset_id": "tv_panel", "sql": "select 1"] }
            let result = try await bed.call("run_query_plan", ["plan": ["queries": .array(steps)]])
            #expect(result.errorCode == "PLAN_TOO_LARGE")
        }
    }

    @Test("a viewer may read the registry but not run SQL")
    func viewerCannotQuery() async throws {
        try await ToolTestbed.run { bed in
            let list = try await bed.call("list_datasets", as: ToolTestbed.viewer)
            #expect(list.isError != true)
            let sql = try await bed.call("execute_sql", ["dataset_id": "tv_panel", "sql": "select 1"], as: ToolTestbed.viewer)
            #expect(sql.errorCode == "ACCESS_DENIED")
            let plan = try await bed.call(
                "run_query_plan",
                ["plan": ["queries": [["id": "a", "dataset_id": "tv_panel", "sql": "select 1"]]]],
                as: ToolTestbed.viewer
            )
            #expect(plan.errorCode == "ACCESS_DENIED")
        }
    }

    @Test("list_available_tools names every tool with its purpose")
    func listTools() async throws {
        try await ToolTestbed.run { bed in
            let result = try await bed.call("list_available_tools")
            let tools = try #require(result.structured?["tools"]?.arrayValue)
            #expect(tools.compactMap { $0["name"]?.stringValue } == ToolCatalog.standard.names)
            #expect(tools.allSatisfy { !($0["purpose"]?.stringValue ?? "").isEmpty })
        }
    }

    @Test("get_recent_queries returns only the caller's SQL, newest first, optionally per dataset")
    func recentQueries() async throws {
        try await ToolTestbed.run { bed in
            let now = Date()
            try await bed.store.appendQueryLog([
                QueryLogEntry(
                    at: now.addingTimeInterval(-30),
                    principalID: ToolTestbed.analyst.id,
                    principalName: "analyst-1",
                    tool: "execute_sql",
                    datasetIDs: ["tv_panel"],
                    normalizedSQL: "select count(*) from respondents where gender = $1",
                    status: .ok,
                    durationMs: 3,
                    rows: 1
                ),
                QueryLogEntry(
                    at: now.addingTimeInterval(-20),
                    principalID: ToolTestbed.analyst.id,
                    principalName: "analyst-1",
                    tool: "execute_sql",
                    datasetIDs: ["retail_survey"],
                    normalizedSQL: "select store, count(*) from visits group by store",
                    status: .error,
                    errorCode: "QUERY_TIMEOUT",
                    durationMs: 30_000
                ),
                QueryLogEntry(
                    at: now.addingTimeInterval(-10),
                    principalID: ToolTestbed.analyst.id,
                    principalName: "analyst-1",
                    tool: "list_datasets",
                    status: .ok,
                    durationMs: 1
                ),
                QueryLogEntry(
                    at: now,
                    principalID: "someone-else",
                    principalName: "other",
                    tool: "execute_sql",
                    datasetIDs: ["tv_panel"],
                    normalizedSQL: "select secret from elsewhere",
                    status: .ok,
                    durationMs: 1
                ),
            ])
            let all = try await bed.call("get_recent_queries")
            let queries = try #require(all.structured?["queries"]?.arrayValue)
            #expect(
                queries.compactMap { $0["sql"]?.stringValue } == [
                    "select store, count(*) from visits group by store", "select count(*) from respondents where gender = $1",
                ]
            )
            #expect(queries.first?["error_code"] == "QUERY_TIMEOUT")
            let tv = try await bed.call("get_recent_queries", ["dataset_id": "tv_panel", "limit": 5])
            #expect(tv.structured?["queries"]?.arrayValue?.count == 1)
            #expect(!(all.text ?? "").contains("secret"))
        }
    }
}
