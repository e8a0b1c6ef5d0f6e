import AnalyticsCore
import MCP
import Testing

@testable import MCPTools

@Suite("Tool catalog: definitions, budget, pagination")
struct ToolCatalogTests {
    let datasetIDs = ["consumer_panel", "retail_survey", "tv_viewing_2025"]

    @Test("every tool has a title, object input schema, output schema and read-only annotations")
    func definitionsAreComplete() throws {
        let tools = try ToolCatalog.standard.page(cursor: nil, pageSize: 0, datasetIDs: self.datasetIDs).tools
        #expect(tools.map(\.name).sorted() == ToolCatalog.standard.names.sorted())
        #expect(
            Set(tools.map(\.name)).isSuperset(of: [
                "list_datasets", "search_datasets", "describe_dataset", "execute_sql", "run_query_plan",
                "get_recent_queries", "list_available_tools", "search", "fetch", "weighted_breakdown",
            ])
        )
        for tool in tools {
            #expect(!(tool.title ?? "").isEmpty, "\(tool.name) has no title")
            #expect(!(tool.description ?? "").isEmpty, "\(tool.name) has no description")
            #expect(JSONValue(mcp: tool.inputSchema)["type"] == "object", "\(tool.name) input schema is not an object")
            #expect(tool.outputSchema.map { JSONValue(mcp: $0)["type"] } == "object", "\(tool.name) has no object output schema")
            #expect(tool.annotations.readOnlyHint == true)
            #expect(tool.annotations.destructiveHint == false)
            #expect(tool.annotations.openWorldHint == false)
        }
    }

    @Test("tools/list for all tools stays within 1.5k tokens (6,000 characters of JSON)")
    func listFitsTheBudget() throws {
        let result = try ToolCatalog.standard.page(cursor: nil, pageSize: 0, datasetIDs: self.datasetIDs)
        let size = try JSONValue(encoding: result).serialized().count
        #expect(size <= 6_000, "tools/list is \(size) characters")
    }

    @Test("dataset_id is an enum of exactly the active datasets wherever a tool takes one")
    func datasetEnum() throws {
        let tools = try ToolCatalog.standard.page(cursor: nil, pageSize: 0, datasetIDs: self.datasetIDs).tools
        var seen = 0
        for tool in tools {
            let schema = JSONValue(mcp: tool.inputSchema)
            if let property = schema["properties"]?["dataset_id"] {
                #expect(property["enum"] == .array(self.datasetIDs.map(JSONValue.string)), "\(tool.name)")
                seen += 1
            }
        }
        let step = tools.first { $0.name == "run_query_plan" }.map { JSONValue(mcp: $0.inputSchema) }
        let stepDataset = step?["properties"]?["plan"]?["properties"]?["queries"]?["items"]?["properties"]?["dataset_id"]
        #expect(stepDataset?["enum"] == .array(self.datasetIDs.map(JSONValue.string)))
        #expect(seen == 4)  // describe_dataset, execute_sql, weighted_breakdown, get_recent_queries

        let none = try ToolCatalog.standard.page(cursor: nil, pageSize: 0, datasetIDs: []).tools
        let describe = none.first { $0.name == "describe_dataset" }.map { JSONValue(mcp: $0.inputSchema) }
        #expect(describe?["properties"]?["dataset_id"]?["enum"] == nil)
    }

    @Test("pages follow nextCursor until every tool was listed once")
    func pagination() throws {
        var names: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try ToolCatalog.standard.page(cursor: cursor, pageSize: 4, datasetIDs: self.datasetIDs)
            #expect(page.tools.count <= 4)
            names += page.tools.map(\.name)
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil && pages < 10
        #expect(names == ToolCatalog.standard.names)
        #expect(pages == (ToolCatalog.standard.names.count + 3) / 4)
    }

    @Test("a malformed or out-of-range cursor is invalid params", arguments: ["garbage", "dG9vbHM6OTk=", "dG9vbHM6MA=="])
    func badCursor(cursor: String) {
        #expect(throws: MCPError.self) {
            try ToolCatalog.standard.page(cursor: cursor, pageSize: 4, datasetIDs: self.datasetIDs)
        }
        do {
            _ = try ToolCatalog.standard.page(cursor: cursor, pageSize: 4, datasetIDs: self.datasetIDs)
        } catch let error as MCPError {
            #expect(error.code == -32602)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
