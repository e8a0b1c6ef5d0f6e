import AnalyticsCore
import Logging
import MetadataStore
import SQLGuard

/// The guarded path every query takes, from any surface (MCP tools, REST, plans): DESIGN §5.1.
///
/// For one query (``execute(_:caller:)``) the engine, in order:
/// 1. waits for room in the query log (``QueryLogWriter/admit()``) and checks `runQueries`;
/// 2. finds the dataset and requires it to be `active` (`DATASET_NOT_FOUND`, `DATASET_NOT_ACTIVE`);
/// 3. parses the SQL once with ``SQLGuard`` and keeps the analysis for the log and cache key;
/// 4. runs the ``Inspector``s (e.g. the weighting check), which may add warnings or refuse;
/// 5. works out the row cap (``RowLimits``): the caller's `limit` within the dataset's bounds, and
///    `raw_row_limit` for non-aggregated results whatever `limit` says;
/// 6. answers from the ``ResultCache`` when it can (`cached: true`);
/// 7. runs the statement through the ``ConnectorRegistry`` (circuit breaker, pool, read-only
///    session, statement timeout, `LIMIT cap + 1` around the statement);
/// 8. holds the result to the size budget (``ResultShaper``) and caches it;
/// 9. records the execution — success or error, hit or miss — in the query log.
///
/// **Huge row-level queries.** Every statement runs under a `LIMIT cap + 1`, so a `SELECT *`
/// over 10^8 rows returns its capped sample in milliseconds. A plan that cannot start fast (a sort
/// or hash over a huge table) would run a full scan for a handful of rows; such queries get the
/// shorter ``EngineConfiguration/rawQueryTimeout`` instead of the dataset's statement timeout and,
/// when it fires, a `QUERY_TIMEOUT` that names the planner's row estimate and how to rewrite the
/// query. No extra `EXPLAIN` runs on the fast path.
///
/// Weighted breakdowns (``breakdown(_:caller:)``) take the same path with server-built SQL, and plans
/// (``runPlan(_:caller:progress:)``) run their steps through it concurrently: admission, access,
/// caching, logging and metrics of every query live in this type and nowhere else.
public final class QueryEngine: Sendable {
    /// Runs after the guard on every query; returns warnings for the result, or throws to refuse it
    /// (e.g. `UNWEIGHTED_AGGREGATE` under a `block` policy). Inspectors must be fast and pure.
    public typealias Inspector = @Sendable (SQLAnalysis, Dataset, QueryRequest) throws -> [QueryWarning]

    public let configuration: EngineConfiguration
    public let cache: ResultCache
    public let connectors: ConnectorRegistry
    public let queryLog: QueryLogWriter
    let datasets: DatasetDirectory
    let sqlGuard: SQLGuard
    let inspectors: [Inspector]
    let breakdownExecutor: BreakdownExecutor
    let logger: Logger

    /// - Parameters:
    ///   - datasets: the registry datasets are read from (their lifecycle state and version decide
    ///     every query); records are reused for ``EngineConfiguration/datasetCacheTTL`` at most and
    ///     dropped by ``invalidate(datasetID:)``.
    ///   - now: the time source for the result cache's and the dataset records' ages (tests).
    ///   - inspectors: extra checks run after the guard, in order.
    ///   - breakdownExecutor: how weighted breakdowns are planned and run (its group limit).
    public init(
        connectors: ConnectorRegistry,
        datasets: any DatasetRegistry,
        queryLog: QueryLogWriter,
        cache: ResultCache = ResultCache(),
        configuration: EngineConfiguration = EngineConfiguration(),
        guard sqlGuard: SQLGuard = SQLGuard(),
        inspectors: [Inspector] = [],
        breakdownExecutor: BreakdownExecutor? = nil,
        logger: Logger,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.connectors = connectors
        self.datasets = DatasetDirectory(registry: datasets, maxAge: configuration.datasetCacheTTL, now: now)
        self.queryLog = queryLog
        self.cache = cache
        self.configuration = configuration
        self.sqlGuard = sqlGuard
        self.inspectors = inspectors
        self.breakdownExecutor = breakdownExecutor ?? BreakdownExecutor(sqlGuard: sqlGuard, logger: logger)
        var logger = logger
        logger[metadataKey: "mcpa.component"] = "query-engine"
        self.logger = logger
    }

    /// Forgets what the engine holds about a dataset that changed: its registry record and its
    /// cached results — those older than `version` when the change names its new version (so a
    /// late event for a version already seen costs nothing), else all of them. The
    /// ``DatasetChangeListener`` calls it for every change event.
    public func invalidate(datasetID: String, version: Int? = nil) {
        self.datasets.invalidate(datasetID, version: version)
        self.cache.purge(datasetID: datasetID, below: version)
    }

    /// The dataset if it exists and is `active`.
    func activeDataset(_ id: String) async throws -> Dataset {
        guard let dataset = try await self.datasets.dataset(id: id) else { throw AnalyticsError.datasetNotFound(id) }
        guard dataset.state == .active else { throw Self.notActive(dataset) }
        return dataset
    }

    static func notActive(_ dataset: Dataset) -> AnalyticsError {
        let hint: String
        switch dataset.state {
        case .inactive:
            hint =
                "It has been deactivated. A reviewer can reactivate it (POST /api/datasets/\(dataset.id)/transitions {\"to\": \"active\"}); meanwhile list datasets to find an active one."
        default:
            hint = "It is still being onboarded; it answers queries once a reviewer approves and activates it. List datasets to find an active one."
        }
        return AnalyticsError(
            .datasetNotActive,
            "Dataset '\(dataset.id)' is \(dataset.state.rawValue), not active, so it cannot be queried.",
            hint: hint,
            details: ["state": .string(dataset.state.rawValue)]
        )
    }
}
