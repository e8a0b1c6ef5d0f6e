import AnalyticsCore
import ControlPlane

/// `search`: the ChatGPT-connector search over dataset documentation, answering
/// `{"results": [{"id", "title", "url"}]}` as structured content and as one JSON text item.
struct SearchTool: AnalyticsTool {
    let name = "search"
    let title = "Search documentation"
    let summary = "Search dataset and table documentation; fetch a result id for its text."
    let outputSchema = JSONSchema.output("results")

    func inputSchema(datasetIDs: [String]) -> JSONValue {
        JSONSchema.object(["query": JSONSchema.string()], required: ["query"])
    }

    func call(_ arguments: ToolArguments, context: ToolCallContext) async throws -> ToolOutput {
        try arguments.requireOnly(["query"])
        let query = try arguments.requiredString("query")
        let index = try await context.environment.catalog.searchIndex(over: context.active)
        let hits = index.search(query, limit: 10)
        let results: [JSONValue] = hits.map { hit in
            ["id": .string(hit.document.id), "title": .string(hit.document.title), "url": .string(hit.document.url)]
        }
        var output = ToolOutput.json(["results": .array(results)], datasetIDs: Array(Set(hits.map(\.document.datasetID))).sorted())
        output.rows = results.count
        return output
    }
}

/// `fetch`: the full text of one `search` result, as `{"id", "title", "text", "url", "metadata"}`.
struct FetchTool: AnalyticsTool {
    let name = "fetch"
    let title = "Fetch documentation"
    let summary = "Full text of a search result by id."
    let outputSchema = JSONSchema.output("id", "title", "text", "url", "metadata")

    func inputSchema(datasetIDs: [String]) -> JSONValue {
        JSONSchema.object(["id": JSONSchema.string()], required: ["id"])
    }

    func call(_ arguments: ToolArguments, context: ToolCallContext) async throws -> ToolOutput {
        try arguments.requireOnly(["id"])
        let id = try arguments.requiredString("id")
        let index = try await context.environment.catalog.searchIndex(over: context.active)
        guard let document = index.document(id: id) else {
            throw AnalyticsError(
                .notFound,
                "No document with id '\(id)'.",
                hint: "Use an id from a search result: a dataset id, or dataset_id/table."
            )
        }
        var output = ToolOutput.json(
            [
                "id": .string(document.id), "title": .string(document.title), "text": .string(document.text),
                "url": .string(document.url), "metadata": .object(document.metadata),
            ],
            datasetIDs: [document.datasetID]
        )
        output.rows = 1
        return output
    }
}
