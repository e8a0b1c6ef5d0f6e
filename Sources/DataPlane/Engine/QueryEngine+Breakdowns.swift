import AnalyticsCore
import Foundation
import MetadataStore

extension QueryEngine {
    /// Runs a weighted breakdown (DESIGN §5.2) through the same path as SQL: query-log admission,
    /// the caller's role, the dataset's lifecycle, the result cache, one query-log entry and the
    /// engine's metrics.
    ///
    /// Analysts may break down active datasets; reviewers and admins also datasets under onboarding,
    /// so a weighting config can be tried before approval (such results are not cached).
    public func breakdown(_ request: BreakdownRequest, caller: CallerContext) async throws -> BreakdownResult {
        try await self.breakdown(datasetID: request.datasetID, persona: request.persona, caller: caller, planID: nil) { request }
    }

    /// A plan's `breakdown` step; a step whose breakdown cannot be read is logged like any refusal.
    func breakdown(step: PlanStep, caller: CallerContext, planID: String) async throws -> BreakdownResult {
        try await self.breakdown(datasetID: step.datasetID, persona: step.persona, caller: caller, planID: planID) {
            try Self.breakdownRequest(of: step)
        }
    }

    private func breakdown(
        datasetID: String,
        persona: String?,
        caller: CallerContext,
        planID: String?,
        _ makeRequest: () throws -> BreakdownRequest
    ) async throws -> BreakdownResult {
        try await self.recorded(datasetID: datasetID, persona: persona, caller: caller, planID: planID) { queryID, started, record in
            let request = try makeRequest()
            record.persona = request.persona
            var result = try await self.admittedBreakdown(request, caller: caller, record: &record)
            result.queryID = queryID
            result.elapsedMs = started.millisecondsElapsed
            record.rows = result.rows.count
            return result
        }
    }

    private func admittedBreakdown(_ request: BreakdownRequest, caller: CallerContext, record: inout ExecutionRecord) async throws -> BreakdownResult
    {
        try caller.principal.require(.runQueries)
        guard let dataset = try await self.datasets.dataset(id: request.datasetID) else { throw AnalyticsError.datasetNotFound(request.datasetID) }
        guard dataset.state == .active || caller.principal.role.allows(.reviewDatasets) else { throw Self.notActive(dataset) }
        let config = try dataset.weightingConfig()
        let key = self.cache.configuration.isEnabled && dataset.state == .active ? ResultCacheKey(dataset: dataset, breakdown: request) : nil
        if let key, let hit = self.cache.value(for: key), case .breakdown(let result) = hit.value {
            record.cached = true
            record.bytes = hit.bytes
            return result
        }
        let execution = try await self.connectors.execute(dataset: dataset) { connector in
            try await self.breakdownExecutor.run(request, dataset: dataset, config: config, connector: connector)
        }
        record.analysis = execution.analysis
        let bytes = JSONLength.of(execution.result.document)
        record.bytes = bytes
        if let key { self.cache.insert(ResultCache.CachedResult(breakdown: execution.result, bytes: bytes), for: key) }
        return execution.result
    }

    /// The breakdown a plan step asks for: its `breakdown` document, whose `dataset_id` defaults to
    /// the step's (and may not differ) and whose `persona` defaults to the step's.
    static func breakdownRequest(of step: PlanStep) throws -> BreakdownRequest {
        guard let document = step.breakdown else {
            throw AnalyticsError.invalidRequest("Step '\(step.id)' has no breakdown.", hint: "Give the step a breakdown document or sql.")
        }
        var request = try BreakdownRequest(document: document, datasetID: step.datasetID)
        guard request.datasetID == step.datasetID else {
            throw AnalyticsError.invalidRequest(
                "Step '\(step.id)' names dataset '\(step.datasetID)' but its breakdown names '\(request.datasetID)'.",
                hint: "Leave dataset_id out of the breakdown; the step's dataset_id applies."
            )
        }
        if request.persona == nil { request.persona = step.persona }
        return request
    }
}
