import AnalyticsCore

/// `run_query_plan`: many sub-queries at once, across datasets, with progress per finished step.
struct RunQueryPlanTool: AnalyticsTool {
    let name = "run_query_plan"
    let title = "Run a query plan"
    let summary = "Up to 50 sub-queries in parallel; partial failures allowed; progress after each step."
    let engineLogsCalls = true
    let outputSchema = JSONSchema.output("plan_id", "steps", "succeeded", "failed")

    func inputSchema(datasetIDs: [String]) -> JSONValue {
        let step = JSONSchema.object(
            [
                "id": JSONSchema.string(),
                "dataset_id": JSONSchema.datasetID(datasetIDs),
                "sql": JSONSchema.string(),
                "breakdown": JSONSchema.anyObject,
                "limit": JSONSchema.integer(1...100_000),
                "persona": JSONSchema.string(),
            ],
            required: ["id", "dataset_id"]
        )
        let plan = JSONSchema.object(
            ["queries": JSONSchema.array(of: step, maxItems: 50), "deadline_ms": JSONSchema.integer(100...300_000)],
            required: ["queries"]
        )
        return JSONSchema.object(["plan": plan], required: ["plan"])
    }

    func call(_ arguments: ToolArguments, context: ToolCallContext) async throws -> ToolOutput {
        try arguments.requireOnly(["plan"])
        guard let planObject = try arguments.object("plan") else {
            throw AnalyticsError.invalidRequest(
                "run_query_plan needs 'plan': {\"queries\": [...]}.",
                hint: "Pass plan.queries, each {id, dataset_id, sql}."
            )
        }
        let plan = try self.parse(planObject, context: context)
        try context.caller.principal.require(.runQueries)
        let reporter = context.progress
        let engine = context.environment.engine
        context.engineTakesOver()
        let result = try await engine.runPlan(plan, caller: context.caller) { step in
            await reporter?.report(
                progress: Double(step.completed),
                total: Double(step.total),
                message: "\(step.stepID): \(step.status.rawValue) (\(step.completed)/\(step.total))"
            )
        }
        let datasets = Array(Set(plan.queries.map(\.datasetID))).sorted()
        let (fitted, structured) = try PlanResultBudget.fit(result, budget: context.environment.limits.planResultBudget)
        let rows = fitted.steps.reduce(0) { $0 + ($1.result?.rowCount ?? 0) }
        return ToolOutput(structured: structured, text: Self.render(fitted), rows: rows, datasetIDs: datasets)
    }

    /// Checks the plan's shape before anything runs; each problem names the step.
    func parse(_ object: [String: JSONValue], context: ToolCallContext) throws -> QueryPlan {
        let planArguments = ToolArguments(tool: "run_query_plan plan", values: object)
        try planArguments.requireOnly(["queries", "deadline_ms"])
        guard let queries = object["queries"]?.arrayValue, !queries.isEmpty else {
            throw AnalyticsError.invalidRequest("run_query_plan: plan.queries must be a non-empty array.", hint: "Pass [{id, dataset_id, sql}, …].")
        }
        let maximum = context.environment.limits.maxPlanQueries
        guard queries.count <= maximum else {
            throw AnalyticsError(
                .planTooLarge,
                "The plan has \(queries.count) queries; at most \(maximum) run in one plan.",
                hint: "Split it into plans of \(maximum) or fewer, or combine queries with GROUP BY."
            )
        }
        let deadline = try planArguments.integer("deadline_ms", in: 100...300_000)
        var seen: Set<String> = []
        var steps: [PlanStep] = []
        for (position, query) in queries.enumerated() {
            guard let fields = query.objectValue else {
                throw AnalyticsError.invalidRequest("run_query_plan: queries[\(position)] must be an object.")
            }
            let step = ToolArguments(tool: "run_query_plan queries[\(position)]", values: fields)
            try step.requireOnly(["id", "dataset_id", "sql", "breakdown", "limit", "persona"])
            let id = try step.requiredString("id")
            guard seen.insert(id).inserted else {
                throw AnalyticsError.invalidRequest("run_query_plan: step id '\(id)' is used twice.", hint: "Give every step a unique id.")
            }
            guard let datasetID = try step.datasetID(active: context.activeIDs) else {
                throw AnalyticsError.invalidRequest("run_query_plan: step '\(id)' needs 'dataset_id'.")
            }
            let sql = try step.string("sql")
            let breakdown = try step.object("breakdown").map(JSONValue.object)
            guard (sql == nil) != (breakdown == nil) else {
                throw AnalyticsError.invalidRequest(
                    "run_query_plan: step '\(id)' needs exactly one of 'sql' and 'breakdown'.",
                    hint: "Use sql for free SQL, breakdown for a server-built weighted breakdown."
                )
            }
            steps.append(
                PlanStep(
                    id: id,
                    datasetID: datasetID,
                    sql: sql,
                    breakdown: breakdown,
                    limit: try step.integer("limit", in: 1...100_000),
                    persona: try step.string("persona")
                )
            )
        }
        return QueryPlan(queries: steps, deadlineMs: deadline)
    }

    static func render(_ result: PlanResult) -> String {
        var lines = ["plan \(result.planID): \(result.succeeded) ok, \(result.failed) not ok, \(ResultText.milliseconds(result.elapsedMs)) ms"]
        for step in result.steps {
            lines.append("## \(step.id) (\(step.datasetID)) \(step.status.rawValue)")
            if let result = step.result {
                lines.append(ResultText.render(result))
            } else if let breakdown = step.breakdown {
                lines.append(breakdown.serialized())
            } else if let error = step.error {
                let code = error["code"]?.stringValue ?? "ERROR"
                lines.append("\(code): \(error["message"]?.stringValue ?? "")" + (error["hint"]?.stringValue.map { " (\($0))" } ?? ""))
            }
        }
        return lines.joined(separator: "\n")
    }
}
