import AnalyticsCore

/// `weighted_breakdown`: a survey-weighted share, mean, total or per-user mean by dimensions and
/// persona, built by the server from the dataset's weighting config (DESIGN §5.2).
///
/// The model describes *what* to measure; the server writes the SQL, applies merges and base-size
/// rules, and returns bases, effective n and intervals that free SQL could silently get wrong.
struct WeightedBreakdownTool: AnalyticsTool {
    let name = "weighted_breakdown"
    let title = "Weighted breakdown"
    let summary =
        "Survey-weighted share/mean/total/per_user by dimensions and persona, with bases, effective n, 95% CI, suppression. Prefer it to SQL for percentages."
    let engineLogsCalls = true
    let outputSchema = JSONSchema.output("rows", "overall", "narrative", "min_base", "query_id", "warnings")

    func inputSchema(datasetIDs: [String]) -> JSONValue {
        let measure: JSONValue = [
            "type": "object",
            "description":
                #"{"type":"share"|"mean"|"total"|"per_user","condition"?:{"column","op"?,"value"?|"values"?},"column"?,"reach"?|"events"?:{"table","aggregation"?,"column"?,"filters"?,"last_days"?|"from"?,"to"?}}"#,
            "required": ["type"],
        ]
        return JSONSchema.object(
            [
                "dataset_id": JSONSchema.datasetID(datasetIDs),
                "measure": measure,
                "by": JSONSchema.array(of: JSONSchema.string(), maxItems: BreakdownRequest.maximumDimensions),
                "persona": JSONSchema.string("e.g. Female 25-34 NCCS A"),
                "filters": JSONSchema.anyObject,
                "reference_date": JSONSchema.string(),
            ],
            required: ["dataset_id", "measure"]
        )
    }

    func call(_ arguments: ToolArguments, context: ToolCallContext) async throws -> ToolOutput {
        try arguments.requireOnly(Set(BreakdownRequest.documentKeys))
        guard let id = try arguments.datasetID(active: context.activeIDs) else {
            throw AnalyticsError.invalidRequest("weighted_breakdown needs 'dataset_id'.")
        }
        // Clients send `null` for arguments they leave out.
        let request = try BreakdownRequest(document: .object(arguments.values.filter { !$0.value.isNull }))
        try context.caller.principal.require(.runQueries)
        context.engineTakesOver()
        let result = try await context.environment.engine.breakdown(request, caller: context.caller)
        return ToolOutput(structured: result.document, text: result.text, rows: result.rows.count, datasetIDs: [id])
    }
}
