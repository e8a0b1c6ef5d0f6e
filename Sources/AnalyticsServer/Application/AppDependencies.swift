import AnalyticsCore
import ControlPlane
import DataPlane
import Logging
import MCPTools
import MetadataStore
import Prometheus

/// Everything the HTTP application needs, built once by the CLI (or a test) and passed in.
public struct AppDependencies: Sendable {
    public var configuration: ServerConfiguration
    public var store: any MetadataStore
    public var vault: SecretVault
    public var logger: Logger
    public var metrics: PrometheusCollectorRegistry
    /// Live read-only connectors per dataset (credentials opened from the vault on first use);
    /// runs as an app service.
    public let connectors: ConnectorRegistry
    /// Registry change events from this and other processes on the store; runs as an app service.
    public let changeFeed: ChangeFeed
    /// MCP tools, the `/mcp` sessions and the registry watcher.
    public let mcp: MCPRuntime

    public init(
        configuration: ServerConfiguration,
        store: any MetadataStore,
        vault: SecretVault,
        logger: Logger,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
    ) {
        self.configuration = configuration
        self.store = store
        self.vault = vault
        self.logger = logger
        self.metrics = metrics
        let datasets = DatasetService(store: store, vault: vault, probe: ConnectionProbe(logger: logger), logger: logger)
        self.connectors = ConnectorRegistry(secrets: { id in try await datasets.connectionURL(for: id) }, logger: logger)
        self.changeFeed = ChangeFeed(store: store, logger: logger)
        self.mcp = MCPRuntime(
            configuration: configuration,
            store: store,
            changeFeed: self.changeFeed,
            engine: nil,
            recorder: nil,
            profiles: { id in try await store.latestProfile(datasetID: id) },
            logger: logger
        )
    }

    public var datasetService: DatasetService {
        DatasetService(store: self.store, vault: self.vault, probe: ConnectionProbe(logger: self.logger), logger: self.logger)
    }

    public var profilingService: ProfilingService {
        ProfilingService(store: self.store, connectors: self.connectors, logger: self.logger)
    }
}
