import AnalyticsCore

/// `describe_dataset`: progressive context, so a model reads only as much schema as the question needs.
struct DescribeDatasetTool: AnalyticsTool {
    let name = "describe_dataset"
    let title = "Describe a dataset"
    let summary = "Context by level: 1 summary+tables; 2 columns, stats, weighting for tables; 3 adds masked samples."
    let outputSchema = JSONSchema.output("dataset_id", "level")

    func inputSchema(datasetIDs: [String]) -> JSONValue {
        JSONSchema.object(
            [
                "dataset_id": JSONSchema.datasetID(datasetIDs),
                "level": JSONSchema.integer(1...3),
                "tables": JSONSchema.array(of: JSONSchema.string(), maxItems: 50),
            ],
            required: ["dataset_id"]
        )
    }

    func call(_ arguments: ToolArguments, context: ToolCallContext) async throws -> ToolOutput {
        try arguments.requireOnly(["dataset_id", "level", "tables"])
        guard let id = try arguments.datasetID(active: context.activeIDs), let dataset = context.dataset(id) else {
            throw AnalyticsError.invalidRequest("describe_dataset needs 'dataset_id'.")
        }
        let level = ContextLevel(rawValue: try arguments.integer("level", in: 1...3) ?? 1) ?? .summary
        let tables = try arguments.stringArray("tables")
        if let tables, tables.count > 50 {
            throw AnalyticsError.invalidRequest("describe_dataset takes at most 50 tables at once.", hint: "Ask for fewer tables.")
        }
        let profile = try await context.environment.catalog.profile(datasetID: id)
        let document = try DatasetContext(dataset: dataset, profile: profile, limits: context.environment.limits)
            .build(level: level, tables: tables)
        return ToolOutput(
            structured: document,
            text: ContextText.render(document),
            rows: document["tables"]?.arrayValue?.count ?? 0,
            datasetIDs: [id]
        )
    }
}
