import AnalyticsCore
import ControlPlane
import DataPlane
import Logging
import MetadataStore
import Prometheus

/// Everything the HTTP application needs, built once by the CLI (or a test) and passed in.
public struct AppDependencies: Sendable {
    public var configuration: ServerConfiguration
    public var store: any MetadataStore
    public var vault: SecretVault
    public var logger: Logger
    public var metrics: PrometheusCollectorRegistry
    /// Query engine, connectors, query log and change feed; built from the values passed to `init`.
    public let dataPlane: DataPlaneServices

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
        self.dataPlane = DataPlaneServices(
            configuration: configuration,
            store: store,
            datasetService: DatasetService(store: store, vault: vault, probe: ConnectionProbe(logger: logger), logger: logger),
            logger: logger
        )
    }

    public var datasetService: DatasetService {
        DatasetService(store: self.store, vault: self.vault, probe: ConnectionProbe(logger: self.logger), logger: self.logger)
    }
}
