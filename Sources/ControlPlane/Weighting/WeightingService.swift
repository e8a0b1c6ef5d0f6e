import AnalyticsCore
import DataPlane
import Foundation
import Logging
import MetadataStore

/// Weighting configs, personas and weighted breakdowns of registered datasets (DESIGN §5.2),
/// shared by the REST API, the CLI and the MCP tools so all enforce the same rules and roles.
///
/// The config is stored in the registry as ``Dataset/weighting``: every change is a new dataset
/// version authored by the caller (so cached results keyed by version are invalidated and the
/// history shows who changed the weights). Named personas live inside that document
/// (`personas`), so they are versioned with the dimensions they refer to and checked against them.
public struct WeightingService: Sendable {
    /// Where breakdowns are recorded in the query log (DESIGN §5.5).
    public typealias QueryLogSink = @Sendable (QueryLogEntry) async -> Void

    let store: any MetadataStore
    let connectors: any DatasetConnectorProvider
    let executor: BreakdownExecutor
    let recordLog: QueryLogSink
    let logger: Logger

    /// - Parameter recordLog: where breakdown executions are logged; by default appended to the
    ///   store one by one (a server passes its batching query-log writer instead).
    public init(
        store: any MetadataStore,
        connectors: any DatasetConnectorProvider,
        executor: BreakdownExecutor? = nil,
        recordLog: QueryLogSink? = nil,
        logger: Logger
    ) {
        self.store = store
        self.connectors = connectors
        self.executor = executor ?? BreakdownExecutor(logger: logger)
        self.recordLog =
            recordLog ?? { [store, logger] entry in
                do {
                    try await store.appendQueryLog([entry])
                } catch {
                    logger.warning("could not record a breakdown in the query log", metadata: ["mcpa.dataset": "\(entry.datasetIDs.first ?? "")"])
                }
            }
        self.logger = logger
    }

    /// The dataset's config, or `WEIGHTING_NOT_CONFIGURED`.
    public func config(_ id: String, by principal: Principal) async throws -> (dataset: Dataset, config: WeightingConfig) {
        try principal.require(.readRegistry)
        let dataset = try await self.dataset(id)
        return (dataset, try Self.config(of: dataset))
    }

    /// Checks `document` on its own and against the live database, then stores it as a new version.
    /// A config with problems is refused (`INVALID_WEIGHTING_CONFIG`, every problem in `details`);
    /// warnings come back with the stored config.
    public func setConfig(
        _ id: String,
        document: JSONValue,
        note: String? = nil,
        by principal: Principal
    ) async throws -> (dataset: Dataset, report: WeightingValidationReport) {
        try principal.require(.editMetadata)
        let config = try WeightingConfig(document: document)
        let dataset = try await self.dataset(id)
        let report = try await self.validate(config, on: dataset)
        guard report.isValid else { throw report.error }
        let stored = config.document
        let updated = try await self.store.updateDataset(id: id, actor: principal.id, note: note ?? "weighting config updated") { dataset in
            dataset.weighting = stored
        }
        self.logger.info(
            "weighting config stored",
            metadata: ["mcpa.dataset": "\(id)", "mcpa.principal": "\(principal.id)", "mcpa.version": "\(updated.version)"]
        )
        return (updated, report)
    }

    /// Checks a config against the dataset's live database without storing it.
    public func validate(_ config: WeightingConfig, on dataset: Dataset) async throws -> WeightingValidationReport {
        let timeout = Duration.milliseconds(dataset.settings.statementTimeoutMs)
        return try await self.connectors.withConnector(for: dataset) { connector in
            try await WeightingSchemaValidator(connector: connector, dialect: SQLDialect(dataset.connectionKind), timeout: timeout)
                .validate(config)
        }
    }

    /// Runs a breakdown for `caller` and records it in the query log.
    ///
    /// Analysts may query active datasets; reviewers and admins also datasets under onboarding,
    /// so a config can be tried before approval.
    public func breakdown(_ request: BreakdownRequest, caller: CallerContext, planID: String? = nil) async throws -> BreakdownResult {
        let started = ContinuousClock.now
        do {
            try caller.principal.require(.runQueries)
            let dataset = try await self.dataset(request.datasetID)
            if dataset.state != .active, !caller.principal.role.allows(.reviewDatasets) {
                throw AnalyticsError(
                    .datasetNotActive,
                    "Dataset '\(dataset.id)' is \(dataset.state.rawValue), not active.",
                    hint: "Only active datasets can be queried; list datasets to see the active ones."
                )
            }
            let config = try Self.config(of: dataset)
            let execution = try await self.connectors.withConnector(for: dataset) { connector in
                try await self.executor.run(request, dataset: dataset, config: config, connector: connector)
            }
            await self.log(request, caller: caller, planID: planID, started: started, execution: execution, error: nil)
            return execution.result
        } catch {
            let coded = error as? AnalyticsError ?? AnalyticsError.internalError()
            if !(error is AnalyticsError) {
                self.logger.error("breakdown failed", metadata: ["mcpa.dataset": "\(request.datasetID)", "mcpa.error": "\(type(of: error))"])
            }
            await self.log(request, caller: caller, planID: planID, started: started, execution: nil, error: coded)
            throw coded
        }
    }

    /// Answers a plan's `breakdown` step (the query engine's breakdown handler): the step's
    /// `breakdown` document is a ``BreakdownRequest`` whose `dataset_id` defaults to the step's and
    /// whose `persona` defaults to the step's; the answer is the result document.
    public func planStep(_ step: PlanStep, caller: CallerContext, planID: String? = nil) async throws -> JSONValue {
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
        return try await self.breakdown(request, caller: caller, planID: planID).document
    }

    func dataset(_ id: String) async throws -> Dataset {
        guard let dataset = try await self.store.dataset(id: id) else { throw AnalyticsError.datasetNotFound(id) }
        return dataset
    }

    /// The stored config of `dataset`, or `WEIGHTING_NOT_CONFIGURED`.
    public static func config(of dataset: Dataset) throws -> WeightingConfig {
        guard let document = dataset.weighting, !document.isNull else {
            throw AnalyticsError(
                .weightingNotConfigured,
                "Dataset '\(dataset.id)' has no weighting config.",
                hint: "An editor sets one with PUT /api/datasets/\(dataset.id)/weighting or `mcp-analytics datasets weighting set`."
            )
        }
        return try WeightingConfig(document: document)
    }

    func log(
        _ request: BreakdownRequest,
        caller: CallerContext,
        planID: String?,
        started: ContinuousClock.Instant,
        execution: BreakdownExecutor.Execution?,
        error: AnalyticsError?
    ) async {
        let elapsed = ContinuousClock.now - started
        let entry = QueryLogEntry(
            principalID: caller.principal.id,
            principalName: caller.principal.name,
            clientName: caller.clientName,
            clientVersion: caller.clientVersion,
            tool: caller.tool,
            datasetIDs: [request.datasetID],
            normalizedSQL: execution?.analysis.normalizedSQL,
            fingerprint: execution?.analysis.fingerprint,
            status: error == nil ? .ok : .error,
            errorCode: error?.code.rawValue,
            durationMs: elapsed.inMilliseconds,
            rows: execution?.result.rows.count ?? 0,
            planID: planID,
            promptHash: caller.promptHash,
            persona: request.persona
        )
        await self.recordLog(entry)
    }
}
