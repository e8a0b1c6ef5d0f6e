import AnalyticsCore
import ControlPlane
import DataPlane
import Logging
import MetadataStore
import ServiceLifecycle

/// The data plane's long-running parts, built once per server from its configuration, store and
/// connector registry: the change feed, the query log writer, the query engine with its result
/// cache, and the listener that drops what the engine holds and closes connectors when datasets
/// change.
public struct DataPlaneServices: Sendable {
    /// Registry changes from this process and other replicas; other components may subscribe.
    public let changeFeed: ChangeFeed
    public let queryLog: QueryLogWriter
    public let connectors: ConnectorRegistry
    public let cache: ResultCache
    public let engine: QueryEngine
    /// Weighting configs, personas and server-built breakdowns; plugged into the engine as its
    /// unweighted-aggregate inspector and its plan `breakdown` step handler.
    public let weighting: WeightingService
    public let changeListener: DatasetChangeListener

    public init(configuration: ServerConfiguration, store: any MetadataStore, connectors: ConnectorRegistry, logger: Logger) {
        self.changeFeed = ChangeFeed(store: store, logger: logger)
        self.queryLog = QueryLogWriter(
            store: store,
            configuration: QueryLogWriter.Configuration(retentionDays: configuration.queryLogRetentionDays),
            logger: logger
        )
        self.connectors = connectors
        self.cache = ResultCache(
            configuration: ResultCache.Configuration(
                ttl: .milliseconds(Int64(configuration.cacheTTLSeconds * 1_000)),
                maxBytes: configuration.cacheSizeMB * 1024 * 1024
            )
        )
        self.weighting = WeightingService(store: store, connectors: connectors, logger: logger)
        self.engine = QueryEngine(
            connectors: self.connectors,
            datasets: store,
            queryLog: self.queryLog,
            cache: self.cache,
            configuration: EngineConfiguration(
                resultBudgetCharacters: configuration.resultBudgetTokens * 4,
                rawQueryTimeout: .milliseconds(configuration.rawQueryTimeoutMs),
                maxPlanQueries: configuration.maxPlanQueries
            ),
            inspectors: [WeightingInspector.inspect],
            logger: logger
        )
        self.changeListener = DatasetChangeListener(feed: self.changeFeed, engine: self.engine, logger: logger)
    }

    /// In start order, to be added after the store and the connector registry (which run as their
    /// own services); ServiceLifecycle stops them in reverse, so the listener stops first and the
    /// query log drains before the registry and the store close.
    public var services: [any Service] {
        [self.changeFeed, self.queryLog, self.changeListener]
    }
}
