import AnalyticsCore
import ControlPlane
import DataPlane
import Identity
import LLMClient
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
    /// Query engine, result cache, query log and change feed over ``connectors``; built from the
    /// values passed to `init`.
    public let dataPlane: DataPlaneServices
    /// MCP tools, the `/mcp` sessions and the registry watcher.
    public let mcp: MCPRuntime
    /// Job worker, scheduler, drafting and the language model.
    public let onboarding: OnboardingServices
    /// Users, sessions, credential checks and the OAuth authorization server.
    public let identity: IdentityServices

    /// - Parameter llm: the language model's settings; without an API key drafts are written offline.
    public init(
        configuration: ServerConfiguration,
        store: any MetadataStore,
        vault: SecretVault,
        logger: Logger,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        llm: LLMConfiguration = LLMConfiguration()
    ) {
        self.configuration = configuration
        self.store = store
        self.vault = vault
        self.logger = logger
        self.metrics = metrics
        self.identity = IdentityServices(configuration: configuration, store: store, vault: vault, logger: logger)
        let datasets = DatasetService(store: store, vault: vault, probe: ConnectionProbe(logger: logger), logger: logger)
        self.connectors = ConnectorRegistry(secrets: { id in try await datasets.connectionURL(for: id) }, logger: logger)
        self.dataPlane = DataPlaneServices(configuration: configuration, store: store, connectors: self.connectors, logger: logger)
        self.onboarding = OnboardingServices(
            configuration: configuration,
            llm: llm,
            store: store,
            connectors: self.connectors,
            changeFeed: self.dataPlane.changeFeed,
            logger: logger
        )
        self.mcp = MCPRuntime(
            configuration: configuration,
            store: store,
            changeFeed: self.dataPlane.changeFeed,
            engine: self.dataPlane.engine,
            recorder: self.dataPlane.queryLog,
            profiles: { id in try await store.latestProfile(datasetID: id) },
            semanticSearch: self.onboarding.model == nil ? nil : self.onboarding.search,
            logger: logger
        )
    }

    public var weightingService: WeightingService {
        self.dataPlane.weighting
    }

    public var datasetService: DatasetService {
        var service = DatasetService(store: self.store, vault: self.vault, probe: ConnectionProbe(logger: self.logger), logger: self.logger)
        service.reviewPolicy = ReviewPolicy(requiredReviewers: self.configuration.requiredReviewers)
        if self.configuration.autoOnboard { service.onboarding = self.onboarding.pipeline }
        service.refusePrivilegedLogins = self.configuration.refusePrivilegedLogins
        return service
    }

    public var jobService: JobService {
        JobService(store: self.store, client: self.onboarding.jobs)
    }

    public var reviewService: ReviewService {
        var service = ReviewService(store: self.store, datasets: self.datasetService, jobs: self.onboarding.jobs, logger: self.logger)
        service.indexEmbeddings = self.onboarding.model != nil
        return service
    }

    public var profilingService: ProfilingService {
        ProfilingService(store: self.store, connectors: self.connectors, logger: self.logger)
    }
}
