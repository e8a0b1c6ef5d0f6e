import AnalyticsCore

/// Holds a plan's result to ``ToolLimits/planResultBudget`` by halving the rows of the step that
/// uses the most, until it fits; every step cut says so (`truncated`, warning `PLAN_BUDGET`).
enum PlanResultBudget {
    static let warningCode = "PLAN_BUDGET"

    static func fit(_ plan: PlanResult, budget: Int) throws -> (result: PlanResult, structured: JSONValue) {
        var plan = plan
        var structured = try JSONValue(encoding: plan)
        while structured.serialized().utf8.count > budget {
            let candidates = plan.steps.indices.filter { (plan.steps[$0].result?.rows.count ?? 0) > 0 }
            guard
                let index = candidates.max(by: { self.rowsSize(plan.steps[$0]) < self.rowsSize(plan.steps[$1]) }),
                var result = plan.steps[index].result
            else { break }
            let keep = result.rows.count / 2
            result.rows = Array(result.rows.prefix(keep))
            result.rowCount = keep
            result.truncated = true
            if !result.warnings.contains(where: { $0.code == self.warningCode }) {
                result.warnings.append(
                    QueryWarning(
                        code: self.warningCode,
                        message: "Rows were cut so the whole plan fits the response budget.",
                        hint: "Aggregate further, lower this step's limit, or run it alone with execute_sql."
                    )
                )
            }
            plan.steps[index].result = result
            structured = try JSONValue(encoding: plan)
        }
        return (plan, structured)
    }

    static func rowsSize(_ step: PlanStepResult) -> Int {
        guard let rows = step.result?.rows else { return 0 }
        return JSONValue.array(rows.map(JSONValue.array)).serialized().utf8.count
    }
}
