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
            case finished(Int, PlanStepResult)
            case deadlinePassed
            case deadlineStopped
        }
        let total = plan.queries.count
        let deadlinePassed = LockedBox(false)
        let results = await withTaskGroup(of: Event.self) { group -> [PlanStepResult?] in
            for (index, step) in plan.queries.enumerated() {
                group.addTask {
                    let result = await Self.$currentPlanID.withValue(planID) {
                        await self.runStep(step, caller: caller, deadline: deadline, deadlinePassed: deadlinePassed)
                    }
                    return .finished(index, result)
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
                case .finished(let index, let result):
                    results[index] = result
                    completed += 1
                    await progress(PlanProgress(completed: completed, total: total, stepID: result.id, status: result.status))
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

    private func runStep(_ step: PlanStep, caller: CallerContext, deadline: Duration, deadlinePassed: LockedBox<Bool>) async -> PlanStepResult {
        let started = ContinuousClock.now
        do {
            if let sql = step.sql {
                let result = try await self.execute(
                    QueryRequest(datasetID: step.datasetID, sql: sql, limit: step.limit, persona: step.persona),
                    caller: caller
                )
                return PlanStepResult(id: step.id, datasetID: step.datasetID, status: .ok, result: result, elapsedMs: started.millisecondsElapsed)
            }
            guard let breakdown = self.breakdown else { throw Self.breakdownUnavailable() }
            let document = try await breakdown(step, caller)
            return PlanStepResult(id: step.id, datasetID: step.datasetID, status: .ok, breakdown: document, elapsedMs: started.millisecondsElapsed)
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

    static func breakdownUnavailable() -> AnalyticsError {
        AnalyticsError(
            .invalidRequest,
            "Breakdown steps are not available on this server: no weighting engine is configured.",
            hint: "Write the step as sql, weighting with the dataset's weight column."
        )
    }

    /// A plan refused before any step ran is still audited, once, under every dataset it named.
    private func logRefusedPlan(_ plan: QueryPlan, planID: String, caller: CallerContext, error: any Error, started: ContinuousClock.Instant) {
        var datasets: [String] = []
        for step in plan.queries.prefix(self.configuration.maxPlanQueries) where !datasets.contains(step.datasetID) {
            datasets.append(step.datasetID)
        }
        self.queryLog.record(
            QueryLogEntry(
                id: UUID().uuidString.lowercased(),
                principalID: caller.principal.id,
                principalName: caller.principal.name,
                clientName: caller.clientName,
                clientVersion: caller.clientVersion,
                tool: caller.tool,
                datasetIDs: datasets,
                status: .error,
                errorCode: (error as? AnalyticsError)?.code.rawValue ?? ErrorCode.internalError.rawValue,
                durationMs: started.millisecondsElapsed,
                planID: planID,
                promptHash: caller.promptHash
            )
        )
    }
}
