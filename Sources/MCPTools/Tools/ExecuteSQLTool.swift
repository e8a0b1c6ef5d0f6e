import AnalyticsCore

/// `execute_sql`: one guarded, read-only query on a dataset.
struct ExecuteSQLTool: AnalyticsTool {
    let name = "execute_sql"
    let title = "Run a SQL query"
    let summary = "One read-only SELECT (PostgreSQL dialect). Aggregate with the weight; raw rows are capped at 5."
    let engineLogsCalls = true
    let outputSchema = JSONSchema.output("columns", "rows", "row_count", "truncated", "query_id", "warnings")

    func inputSchema(datasetIDs: [String]) -> JSONValue {
        JSONSchema.object(
            [
                "dataset_id": JSONSchema.datasetID(datasetIDs),
                "sql": JSONSchema.string(),
                "limit": JSONSchema.integer(1...100_000),
                "persona": JSONSchema.string(),
            ],
            required: ["dataset_id", "sql"]
        )
    }

    func call(_ arguments: ToolArguments, context: ToolCallContext) async throws -> ToolOutput {
        try arguments.requireOnly(["dataset_id", "sql", "limit", "persona"])
        guard let id = try arguments.datasetID(active: context.activeIDs) else {
            throw AnalyticsError.invalidRequest("execute_sql needs 'dataset_id'.")
        }
        let request = QueryRequest(
            datasetID: id,
            sql: try arguments.requiredString("sql"),
            limit: try arguments.integer("limit", in: 1...100_000),
            persona: try arguments.string("persona")
        )
        try context.caller.principal.require(.runQueries)
        let engine = context.environment.engine
        context.engineTakesOver()
        let result = try await engine.execute(request, caller: context.caller)
        return ToolOutput(structured: try JSONValue(encoding: result), text: ResultText.render(result), rows: result.rowCount, datasetIDs: [id])
    }
}
