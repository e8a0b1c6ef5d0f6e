import AnalyticsCore
import Testing

@testable import MCPTools

@Suite("run_query_plan result budget")
struct PlanResultBudgetTests {
    static func step(_ id: String, rows: Int, width: Int) -> PlanStepResult {
        let result = QueryResult(
            datasetID: "demo",
            columns: [ColumnInfo(name: "label", type: "text"), ColumnInfo(name: "n", type: "bigint")],
            rows: (0..<rows).map { [.string("\(id)-" + String(repeating: "x", count: width) + "-\($0)"), .int(Int64($0))] },
            rowCount: rows,
            truncated: false,
            aggregated: true,
            elapsedMs: 1,
            queryID: "q-\(id)"
        )
        return PlanStepResult(id: id, datasetID: "demo", status: .ok, result: result, elapsedMs: 1)
    }

    @Test("the biggest steps give up rows until the plan fits; small steps and failures stay whole")
    func cutsLargestFirst() throws {
        let failed = PlanStepResult(
            id: "bad",
            datasetID: "demo",
            status: .error,
            error: ["code": "SQL_PARSE_ERROR", "message": "x", "hint": "y"],
            elapsedMs: 1
        )
        let plan = PlanResult(
            planID: "p",
            steps: [Self.step("small", rows: 3, width: 5), Self.step("big", rows: 2_000, width: 60), failed],
            elapsedMs: 5
        )
        let (fitted, structured) = try PlanResultBudget.fit(plan, budget: 20_000)
        #expect(structured.serialized().utf8.count <= 20_000)
        let big = try #require(fitted.steps[1].result)
        #expect(big.rows.count < 2_000 && big.rows.count > 0)
        #expect(big.rowCount == big.rows.count)
        #expect(big.truncated)
        #expect(big.warnings.map(\.code) == ["PLAN_BUDGET"])
        #expect(fitted.steps[0].result == plan.steps[0].result)
        #expect(fitted.steps[2] == failed)
        #expect(structured == (try JSONValue(encoding: fitted)))
    }

    @Test("a plan within budget is returned unchanged")
    func unchanged() throws {
        let plan = PlanResult(planID: "p", steps: [Self.step("a", rows: 10, width: 5)], elapsedMs: 1)
        let (fitted, _) = try PlanResultBudget.fit(plan, budget: 100_000)
        #expect(fitted == plan)
    }
}
