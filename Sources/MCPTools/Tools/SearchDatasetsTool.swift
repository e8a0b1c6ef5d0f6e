import AnalyticsCore
import ControlPlane

/// `search_datasets`: datasets ranked by how well their documentation matches a question.
struct SearchDatasetsTool: AnalyticsTool {
    let name = "search_datasets"
    let title = "Search datasets"
    let summary = "Rank datasets for a question by names, descriptions, tags, tables and columns."
    let outputSchema = JSONSchema.output("results")

    func inputSchema(datasetIDs: [String]) -> JSONValue {
        JSONSchema.object(["query": JSONSchema.string(), "limit": JSONSchema.integer(1...20)], required: ["query"])
    }

    func call(_ arguments: ToolArguments, context: ToolCallContext) async throws -> ToolOutput {
        try arguments.requireOnly(["query", "limit"])
        let query = try arguments.requiredString("query")
        let limit = try arguments.integer("limit", in: 1...20) ?? 5
        let matches: [DatasetSearchIndex.DatasetMatch]
        if let semantic = context.environment.semanticSearch {
            matches = try await semantic.rankDatasets(query, datasets: context.active, limit: limit)
        } else {
            matches = try await context.environment.catalog.searchIndex(over: context.active).rankDatasets(query, limit: limit)
        }
        var results: [JSONValue] = []
        var lines = [matches.isEmpty ? "No dataset matches '\(query)'." : "Datasets for '\(query)', best first:"]
        for match in matches {
            guard let dataset = context.dataset(match.datasetID) else { continue }
            let summary = DatasetSummary.summary(of: dataset.description)
            results.append([
                "dataset_id": .string(dataset.id),
                "name": .string(dataset.name),
                "summary": .string(summary),
                "score": .double((match.score * 1000).rounded() / 1000),
                "matched_tables": .array(match.matchedTables.map(JSONValue.string)),
                "matched_terms": .array(match.matchedTerms.map(JSONValue.string)),
            ])
            let tables = match.matchedTables.isEmpty ? "" : " [tables: \(match.matchedTables.joined(separator: ", "))]"
            lines.append("- \(dataset.id) — \(dataset.name)\(tables): \(summary)")
        }
        return ToolOutput(
            structured: ["results": .array(results)],
            text: lines.joined(separator: "\n"),
            rows: results.count,
            datasetIDs: matches.map(\.datasetID)
        )
    }
}
