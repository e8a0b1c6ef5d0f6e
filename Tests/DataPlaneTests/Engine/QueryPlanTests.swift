import AnalyticsCore
import DataPlane
import Foundation
import MetadataStore
import TestSupport
import Testing

@Suite("Engine: query plans")
struct QueryPlanTests {
    static func step(_ id: String, _ sql: String, dataset: String = "ds", limit: Int? = nil) -> PlanStep {
        PlanStep(id: id, datasetID: dataset, sql: sql, limit: limit)
    }

    /// Collects progress reports in the order they arrive.
    final class ProgressLog: Sendable {
        let box = TestBox<[PlanProgress]>([])
        var reports: [PlanProgress] { self.box.value }
        var handler: @Sendable (PlanProgress) async -> Void {
            { report in self.box.set(self.box.value + [report]) }
        }
    }

    @Test("steps fail independently; results come back in plan order with per-step status; all are logged with the plan id")
    func partialFailure() async throws {
        try await EngineExecutionTests.withNumbers { harness, _ in
            let plan = QueryPlan(queries: [
                Self.step("total", "SELECT count(*) AS n FROM numbers"),
                Self.step("bad_sql", "SELECT nope FROM numbers"),
                Self.step("write", "DELETE FROM numbers"),
                Self.step("ghost", "SELECT 1", dataset: "ghost"),
                Self.step("top", "SELECT n, count(*) FROM numbers GROUP BY n ORDER BY n DESC", limit: 3),
            ])
            let progress = ProgressLog()
            let result = try await harness.engine.runPlan(plan, caller: EngineHarness.caller(), progress: progress.handler)
            #expect(result.steps.map(\.id) == ["total", "bad_sql", "write", "ghost", "top"])
            #expect(result.steps.map(\.status) == [.ok, .error, .error, .error, .ok])
            #expect(result.succeeded == 2 && result.failed == 3)
            #expect(result.steps[0].result?.rows == [[20]])
            #expect(result.steps[1].error?["code"] == "QUERY_FAILED")
            #expect(result.steps[2].error?["code"] == "SQL_NOT_READ_ONLY")
            #expect(result.steps[3].error?["code"] == "DATASET_NOT_FOUND")
            #expect(result.steps[3].error?["hint"]?.stringValue?.isEmpty == false)
            #expect(result.steps[4].result?.rows.map { $0.first } == [20, 19, 18])
            #expect(result.steps[4].result?.truncated == true)
            #expect(progress.reports.count == 5)

            let entries = try await harness.logEntries()
            #expect(entries.count == 5)
            #expect(entries.allSatisfy { $0.planID == result.planID })
        }
    }

    @Test("progress is reported once per step, in completion order, counting up to the total")
    func progressOrder() async throws {
        try await EngineExecutionTests.withNumbers(settings: EngineHarness.settings(poolSize: 4)) { harness, _ in
            let plan = QueryPlan(queries: [
                Self.step("slow", "SELECT pg_sleep(1.5), count(*) FROM numbers"),
                Self.step("fast", "SELECT count(*) FROM numbers"),
                Self.step("broken", "SELECT 1/0 AS boom, count(*) FROM numbers"),
            ])
            let progress = ProgressLog()
            let result = try await harness.engine.runPlan(plan, caller: EngineHarness.caller(), progress: progress.handler)
            let reports = progress.reports
            #expect(reports.map(\.completed) == [1, 2, 3])
            #expect(reports.allSatisfy { $0.total == 3 })
            #expect(Set(reports.map(\.stepID)) == ["slow", "fast", "broken"])
            #expect(reports.last?.stepID == "slow", "the slow step finishes last")
            #expect(reports.first { $0.stepID == "broken" }?.status == .error)
            #expect(result.steps.map(\.id) == ["slow", "fast", "broken"], "results keep plan order")
        }
    }

    @Test("steps run concurrently, at most pool-size at once on one dataset")
    func concurrencyBoundedByPool() async throws {
        try await EngineExecutionTests.withNumbers(settings: EngineHarness.settings(poolSize: 3)) { harness, _ in
            // Distinct statements: identical ones would run once.
            let plan = QueryPlan(
                queries: (0..<9).map {
                    Self.step(
                        "s\($0)",
                        "SELECT extract(epoch FROM clock_timestamp()) AS started, pg_sleep(0.3), extract(epoch FROM clock_timestamp()) AS ended, count(*) + \($0) FROM numbers"
                    )
                }
            )
            let result = try await harness.engine.runPlan(plan, caller: EngineHarness.caller()) { _ in }
            #expect(result.succeeded == 9, "\(result.steps.compactMap(\.error))")
            let intervals: [(Double, Double)] = result.steps.compactMap { step in
                guard let row = step.result?.rows.first, let start = row[0].doubleValue ?? row[0].stringValue.flatMap(Double.init),
                    let end = row[2].doubleValue ?? row[2].stringValue.flatMap(Double.init)
                else { return nil }
                return (start, end)
            }
            #expect(intervals.count == 9)
            // The most statements running at one instant: at most the pool, and more than one.
            let overlap = intervals.map { point in intervals.filter { $0.0 <= point.0 && point.0 < $0.1 }.count }.max() ?? 0
            #expect(overlap <= 3)
            #expect(overlap >= 2)
        }
    }

    @Test("the deadline cancels unfinished steps, which are reported cancelled with QUERY_TIMEOUT")
    func deadline() async throws {
        try await EngineExecutionTests.withNumbers { harness, database in
            // Open two pooled connections first: the deadline is about the slow step, not about connecting.
            let warm = QueryPlan(queries: (0..<2).map { Self.step("warm\($0)", "SELECT pg_sleep(0.2), \($0) AS n") })
            #expect(try await harness.engine.runPlan(warm, caller: EngineHarness.caller()) { _ in }.succeeded == 2)
            let plan = QueryPlan(
                queries: [
                    Self.step("quick", "SELECT count(*) FROM numbers"),
                    Self.step("stuck", "SELECT pg_sleep(30), count(*) FROM numbers"),
                ],
                deadlineMs: 5_000
            )
            let result = try await harness.engine.runPlan(plan, caller: EngineHarness.caller()) { _ in }
            #expect(result.steps[0].status == .ok)
            #expect(result.steps[1].status == .cancelled)
            #expect(result.steps[1].error?["code"] == "QUERY_TIMEOUT")
            #expect(result.steps[1].error?["message"]?.stringValue?.contains("5000 ms") == true)
            try await Self.expectNoRunningStatements(database)
            #expect(try await harness.query("ds", "SELECT count(*) AS n FROM numbers").rows == [[20]], "the dataset still answers")
        }
    }

    @Test("cancelling the caller cancels the plan's running statements")
    func cancellation() async throws {
        try await EngineExecutionTests.withNumbers { harness, database in
            let plan = QueryPlan(queries: (0..<3).map { Self.step("sleep\($0)", "SELECT pg_sleep(30), count(*) + \($0) FROM numbers") })
            let started = TestBox(false)
            let task = Task {
                try await harness.engine.runPlan(plan, caller: EngineHarness.caller()) { _ in }
            }
            // Connecting three pooled connections can take a while when every suite runs at once.
            try await eventually(timeout: .seconds(60)) {
                let running = try await Self.runningStatements(database)
                started.set(running == 3)
                return running == 3
            }
            #expect(started.value)
            task.cancel()
            await #expect(throws: CancellationError.self) { _ = try await task.value }
            try await Self.expectNoRunningStatements(database)
            let entries = try await harness.logEntries()
            #expect(entries.count == 3)
            #expect(entries.allSatisfy { $0.errorCode == "QUERY_CANCELLED" })
        }
    }

    @Test("plans are checked up front: PLAN_TOO_LARGE, duplicate ids, steps with both or neither of sql and breakdown, bad deadlines, roles")
    func validation() async throws {
        var options = EngineHarness.Options()
        options.engine = EngineConfiguration(maxPlanQueries: 4)
        try await EngineExecutionTests.withNumbers(options: options) { harness, _ in
            func run(_ plan: QueryPlan, as caller: CallerContext = EngineHarness.caller()) async throws {
                _ = try await harness.engine.runPlan(plan, caller: caller) { _ in }
            }
            let tooLarge = await expectError(.planTooLarge) {
                try await run(QueryPlan(queries: (0..<5).map { Self.step("s\($0)", "SELECT 1") }))
            }
            #expect(tooLarge?.details?["max_plan_queries"] == 4)
            await expectError(.invalidRequest) { try await run(QueryPlan(queries: [])) }
            await expectError(.invalidRequest) { try await run(QueryPlan(queries: [Self.step("a", "SELECT 1"), Self.step("a", "SELECT 2")])) }
            await expectError(.invalidRequest) { try await run(QueryPlan(queries: [Self.step("", "SELECT 1")])) }
            await expectError(.invalidRequest) {
                try await run(QueryPlan(queries: [PlanStep(id: "both", datasetID: "ds", sql: "SELECT 1", breakdown: ["measure": "x"])]))
            }
            await expectError(.invalidRequest) { try await run(QueryPlan(queries: [PlanStep(id: "neither", datasetID: "ds")])) }
            await expectError(.invalidRequest) { try await run(QueryPlan(queries: [Self.step("a", "SELECT 1")], deadlineMs: 0)) }
            await expectError(.invalidRequest) { try await run(QueryPlan(queries: [Self.step("a", "SELECT 1")], deadlineMs: 10_000_000)) }
            await expectError(.accessDenied) { try await run(QueryPlan(queries: [Self.step("a", "SELECT 1")]), as: EngineHarness.caller(.viewer)) }
            let exactlyFour = try await harness.engine.runPlan(
                QueryPlan(queries: (0..<4).map { Self.step("s\($0)", "SELECT \($0) AS v") }),
                caller: EngineHarness.caller()
            ) { _ in }
            #expect(exactlyFour.succeeded == 4)
            let entries = try await harness.logEntries()
            #expect(entries.filter { $0.errorCode == "PLAN_TOO_LARGE" }.count == 1, "a refused plan is audited once")
        }
    }

    @Test("breakdown steps run in the engine: a dataset without weighting config and a malformed breakdown are coded step errors")
    func breakdownSteps() async throws {
        try await EngineExecutionTests.withNumbers { harness, _ in
            let plan = QueryPlan(queries: [
                PlanStep(id: "unweighted", datasetID: "ds", breakdown: ["measure": ["type": "share", "reach": ["table": "numbers"]]]),
                PlanStep(id: "malformed", datasetID: "ds", breakdown: ["measure": "n"]),
                Self.step("s", "SELECT count(*) FROM numbers"),
            ])
            let result = try await harness.engine.runPlan(plan, caller: EngineHarness.caller()) { _ in }
            #expect(result.steps.map(\.status) == [.error, .error, .ok])
            #expect(result.steps[0].error?["code"] == "WEIGHTING_NOT_CONFIGURED")
            #expect(result.steps[1].error?["code"] == "INVALID_REQUEST")
            let entries = try await harness.logEntries()
            #expect(entries.count == 3, "every step is one query-log entry")
            #expect(entries.allSatisfy { $0.planID == result.planID })
            #expect(Set(entries.compactMap(\.errorCode)) == ["WEIGHTING_NOT_CONFIGURED", "INVALID_REQUEST"])
        }
    }

    @Test("steps that ask the same thing run once and answer under each id, in plan order")
    func identicalSteps() async throws {
        try await EngineExecutionTests.withNumbers { harness, _ in
            let plan = QueryPlan(queries: [
                Self.step("a", "SELECT sum(n) FROM numbers"),
                Self.step("b", "SELECT count(*) FROM numbers"),
                Self.step("c", "SELECT sum(n) FROM numbers"),
                Self.step("d", "SELECT sum(n) FROM numbers", limit: 5),
                Self.step("e", "SELECT sum(n) FROM numbers"),
            ])
            let progress = ProgressLog()
            let result = try await harness.engine.runPlan(plan, caller: EngineHarness.caller(), progress: progress.handler)
            #expect(result.steps.map(\.id) == ["a", "b", "c", "d", "e"])
            #expect(result.steps.allSatisfy { $0.status == .ok })
            #expect(result.steps[0].result?.rows == result.steps[2].result?.rows)
            #expect(result.steps[0].result?.rows == result.steps[4].result?.rows)
            #expect(progress.reports.map(\.stepID).sorted() == ["a", "b", "c", "d", "e"])
            #expect(progress.reports.map(\.completed) == [1, 2, 3, 4, 5])
            let entries = try await harness.logEntries()
            #expect(entries.count == 3, "a, c and e ran once; b and d (another limit) on their own")
        }
    }

    static func expectNoRunningStatements(_ database: ScratchDatabase, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await eventually(timeout: .seconds(5), sourceLocation: sourceLocation) {
            try await Self.runningStatements(database) == 0
        }
    }

    /// Statements the engine's connections (application name `mcp-analytics:ds`) are running now.
    static func runningStatements(_ database: ScratchDatabase) async throws -> Int64 {
        try await ConnectorFixtures.int(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = '\(database.name)' AND application_name = 'mcp-analytics:ds' AND state = 'active'",
            on: database.url
        )
    }
}
