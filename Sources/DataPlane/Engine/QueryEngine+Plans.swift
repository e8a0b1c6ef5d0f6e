import AnalyticsCore
import Foundation
import Logging
import MetadataStore

extension QueryEngine {
    /// Runs a plan's steps concurrently and reports each as it finishes.
    ///
    /// - Every step is a child task, so steps over different datasets run side by side while steps
    ///   over one dataset queue at its connector's concurrency gate (its pool size): one busy
    ///   dataset never holds up another.
    /// - Steps fail independently: a failed step is reported with its coded error and the others
    ///   carry on (`status: error`).
    /// - Steps that ask the same thing (dataset, SQL text or breakdown, limit, persona) run once;
    ///   each is answered under its own id (one query-log entry for the one execution).
    /// - The plan's deadline (`deadline_ms`, else ``EngineConfiguration/defaultPlanDeadline``)
    ///   cancels steps still queued or running; they are reported `cancelled` with `QUERY_TIMEOUT`.
    /// - Cancelling the calling task cancels every running statement and throws `CancellationError`.
    /// - `progress` is called once per finished step, in completion order, never concurrently.
    ///
    /// The plan itself is refused up front with `ACCESS_DENIED`, `PLAN_TOO_LARGE` (more than
    /// ``EngineConfiguration/maxPlanQueries`` steps) or `INVALID_REQUEST` (no steps, duplicate or
    /// empty ids, a step with both or neither of `sql` and `breakdown`, a bad deadline).
    public func runPlan(
        _ plan: QueryPlan,
        caller: CallerContext,
        progress: @escaping @Sendable (PlanProgress) async -> Void
    ) async throws -> PlanResult {
        let started = ContinuousClock.now
        let planID = UUID().uuidString.lowercased()
        let deadline: Duration
        do {
            try caller.principal.require(.runQueries)
            deadline = try self.validate(plan)
        } catch {
            self.logRefusedPlan(plan, planID: planID, caller: caller, error: error, started: started)
            throw error
        }

        enum Event: Sendable {
            case finished([Int], PlanStepResult)
            case deadlinePassed
            case deadlineStopped
        }
        let total = plan.queries.count
        let deadlinePassed = LockedBox(false)
        let results = await withTaskGroup(of: Event.self) { group -> [PlanStepResult?] in
            for indices in Self.identicalSteps(plan.queries) {
                let step = plan.queries[indices[0]]
                group.addTask {
                    let result = await self.runStep(step, planID: planID, caller: caller, deadline: deadline, deadlinePassed: deadlinePassed)
                    return .finished(indices, result)
                }
            }
            group.addTask {
                do {
                    try await Task.sleep(for: deadline)
                    return .deadlinePassed
                } catch {
                    return .deadlineStopped
                }
            }
            var results = [PlanStepResult?](repeating: nil, count: total)
            var completed = 0
            while let event = await group.next() {
                switch event {
                case .finished(let indices, let result):
                    for index in indices {
                        var answer = result
                        answer.id = plan.queries[index].id
                        results[index] = answer
                        completed += 1
                        await progress(PlanProgress(completed: completed, total: total, stepID: answer.id, status: answer.status))
                    }
                    if completed == total { group.cancelAll() }
                case .deadlinePassed:
                    deadlinePassed.set(true)
                    group.cancelAll()
                case .deadlineStopped:
                    break
                }
            }
            return results
        }
        if Task.isCancelled, !deadlinePassed.value { throw CancellationError() }
        let result = PlanResult(planID: planID, steps: results.compactMap { $0 }, elapsedMs: started.millisecondsElapsed)
        EngineMetrics.recordPlan(.init(succeeded: result.succeeded, failed: result.failed))
        return result
    }

    private func runStep(
        _ step: PlanStep,
        planID: String,
        caller: CallerContext,
        deadline: Duration,
        deadlinePassed: LockedBox<Bool>
    ) async -> PlanStepResult {
        let started = ContinuousClock.now
        do {
            if let sql = step.sql {
                let result = try await self.execute(
                    QueryRequest(datasetID: step.datasetID, sql: sql, limit: step.limit, persona: step.persona),
                    caller: caller,
                    planID: planID
                )
                return PlanStepResult(id: step.id, datasetID: step.datasetID, status: .ok, result: result, elapsedMs: started.millisecondsElapsed)
            }
            let result = try await self.breakdown(step: step, caller: caller, planID: planID)
            return PlanStepResult(
                id: step.id,
                datasetID: step.datasetID,
                status: .ok,
                breakdown: result.document,
                elapsedMs: started.millisecondsElapsed
            )
        } catch {
            let cancelled = error is CancellationError || (error as? AnalyticsError)?.code == .queryCancelled
            let coded: AnalyticsError
            if cancelled, deadlinePassed.value {
                coded = AnalyticsError(
                    .queryTimeout,
                    "The plan's deadline of \(deadline.wholeMilliseconds) ms passed before step '\(step.id)' finished, so it was cancelled.",
                    hint: "Raise deadline_ms (at most \(self.configuration.maximumPlanDeadline.wholeMilliseconds)), or make the step cheaper."
                )
            } else if let error = error as? AnalyticsError {
                coded = error
            } else if cancelled {
                coded = AnalyticsError(.queryCancelled, "Step '\(step.id)' was cancelled with its plan.", hint: "Run the plan again.")
            } else {
                coded = AnalyticsError.internalError()
            }
            return PlanStepResult(
                id: step.id,
                datasetID: step.datasetID,
                status: cancelled ? .cancelled : .error,
                error: coded.body["error"],
                elapsedMs: started.millisecondsElapsed
            )
        }
    }

    /// The plan's steps grouped by what they ask (dataset, statement or breakdown, limit, persona),
    /// in plan order: a group runs once and answers each of its steps under the step's own id.
    static func identicalSteps(_ steps: [PlanStep]) -> [[Int]] {
        struct Question: Hashable {
            var datasetID: String
            var sql: String?
            var breakdown: JSONValue?
            var limit: Int?
            var persona: String?
        }
        var groups: [[Int]] = []
        var groupOf: [Question: Int] = [:]
        for (index, step) in steps.enumerated() {
            let question = Question(datasetID: step.datasetID, sql: step.sql, breakdown: step.breakdown, limit: step.limit, persona: step.persona)
            if let group = groupOf[question] {
                groups[group].append(index)
            } else {
                groupOf[question] = groups.count
                groups.append([index])
            }
        }
        return groups
    }

    /// Checks the plan's shape; returns its deadline.
    func validate(_ plan: QueryPlan) throws -> Duration {
        guard !plan.queries.isEmpty else {
            throw AnalyticsError.invalidRequest(
                "A plan needs at least one query.",
                hint: "Send {\"queries\": [{\"id\", \"dataset_id\", \"sql\"}, …]}."
            )
        }
        let maximum = self.configuration.maxPlanQueries
        guard plan.queries.count <= maximum else {
            throw AnalyticsError(
                .planTooLarge,
                "The plan has \(plan.queries.count) queries; at most \(maximum) are allowed.",
                hint: "Split it into several plans, or combine queries with GROUP BY or GROUPING SETS.",
                details: ["max_plan_queries": .int(Int64(maximum))]
            )
        }
        var seen: Set<String> = []
        for (index, step) in plan.queries.enumerated() {
            guard !step.id.isEmpty, step.id.count <= 100 else {
                throw AnalyticsError.invalidRequest("queries[\(index)].id must have 1–100 characters.", hint: "Give every step a short unique id.")
            }
            guard seen.insert(step.id).inserted else {
                throw AnalyticsError.invalidRequest("Step id '\(step.id)' appears more than once.", hint: "Give every step a unique id.")
            }
            guard (step.sql == nil) != (step.breakdown == nil) else {
                throw AnalyticsError.invalidRequest(
                    "Step '\(step.id)' must have exactly one of sql and breakdown.",
                    hint: "Use sql for a query, or breakdown for a server-built weighted analysis."
                )
            }
        }
        guard let milliseconds = plan.deadlineMs else { return self.configuration.defaultPlanDeadline }
        let longest = self.configuration.maximumPlanDeadline.wholeMilliseconds
        guard milliseconds >= 1, milliseconds <= longest else {
            throw AnalyticsError.invalidRequest(
                "deadline_ms must be between 1 and \(longest), got \(milliseconds).",
                hint: "Leave it out for the default of \(self.configuration.defaultPlanDeadline.wholeMilliseconds) ms."
            )
        }
        return .milliseconds(milliseconds)
    }

    /// A plan refused before any step ran is still audited, once, under every dataset it named.
    private func logRefusedPlan(_ plan: QueryPlan, planID: String, caller: CallerContext, error: any Error, started: ContinuousClock.Instant) {
        var datasets: [String] = []
        for step in plan.queries.prefix(self.configuration.maxPlanQueries) where !datasets.contains(step.datasetID) {
            datasets.append(step.datasetID)
        }
        var entry = QueryLogEntry(
            caller: caller,
            datasetIDs: datasets,
            errorCode: QueryLogEntry.errorCode(for: error),
            durationMs: started.millisecondsElapsed
        )
        entry.planID = planID
        self.queryLog.record(entry)
    }
}
