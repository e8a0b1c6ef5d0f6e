import AnalyticsCore

/// `list_datasets`: the active datasets the caller may query — where every conversation starts.
struct ListDatasetsTool: AnalyticsTool {
    let name = "list_datasets"
    let title = "List datasets"
    let summary = "Active datasets: id, name, summary, tags, coverage, weighted. Start here."
    let outputSchema = JSONSchema.output("datasets")

    func inputSchema(datasetIDs: [String]) -> JSONValue {
        JSONSchema.object(["tag": JSONSchema.string("only datasets with this tag")])
    }

    func call(_ arguments: ToolArguments, context: ToolCallContext) async throws -> ToolOutput {
        try arguments.requireOnly(["tag"])
        let tag = try arguments.string("tag")
        let datasets = context.active.filter { dataset in tag.map { dataset.tags.contains($0) } ?? true }
        var summaries: [DatasetSummary] = []
        for dataset in datasets {
            summaries.append(DatasetSummary(dataset: dataset, profile: try await context.environment.catalog.profile(datasetID: dataset.id)))
        }
        let header =
            summaries.isEmpty
            ? (tag.map { "No active dataset is tagged '\($0)'." } ?? "No dataset is active yet.")
            : "\(summaries.count) active dataset\(summaries.count == 1 ? "" : "s"):"
        return ToolOutput(
            structured: ["datasets": .array(summaries.map(\.json))],
            text: ([header] + summaries.map(\.line)).joined(separator: "\n"),
            rows: summaries.count,
            datasetIDs: summaries.map(\.dataset.id)
        )
    }
}
