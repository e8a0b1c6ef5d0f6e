import AnalyticsCore
import ControlPlane
import DataPlane
import LLMClient
import Logging
import MetadataStore
import ServiceLifecycle

/// The onboarding pipeline's long-running parts, built once per server: the job worker with its
/// handlers, the refresh scheduler, the language model (online only with an API key, on one
/// `HTTPClient` that is shut down on exit), and the services that use them.
public struct OnboardingServices: Sendable {
    public let signals: JobSignals
    public let jobs: JobQueueClient
    public let pipeline: OnboardingPipeline
    public let drafting: DraftingService
    /// BM25 dataset search, blended with embeddings when a model is configured.
    public let search: SemanticDatasetSearch
    public let worker: JobWorker
    public let scheduler: RefreshScheduler
    /// Opened once the store is migrated; the worker and scheduler wait for it.
    public let startGate: StartGate
    /// `nil` without an API key: drafts are written offline.
    public let model: (any LanguageModel)?
    let httpClient: HTTPClientService?

    public init(
        configuration: ServerConfiguration,
        llm: LLMConfiguration,
        store: any MetadataStore,
        connectors: ConnectorRegistry,
        changeFeed: ChangeFeed,
        logger: Logger
    ) {
        self.signals = JobSignals()
        self.startGate = StartGate()
        self.jobs = JobQueueClient(store: store, signals: self.signals, maxAttempts: configuration.jobMaxAttempts, logger: logger)
        self.pipeline = OnboardingPipeline(store: store, jobs: self.jobs, logger: logger)
        if llm.hasAPIKey {
            let client = LLMHTTPClient()
            self.httpClient = HTTPClientService(client: client, logger: logger)
            self.model = client.makeModel(configuration: llm, usageRecorder: StoreUsageRecorder(store: store, logger: logger), logger: logger)
        } else {
            self.httpClient = nil
            self.model = nil
            logger.info("no LLM API key configured; metadata drafts are written offline")
        }
        self.drafting = DraftingService(store: store, model: self.model, logger: logger)
        let profiling = ProfilingService(store: store, connectors: connectors, logger: logger)
        var handlers: [any JobHandler] = [
            ProfileJobHandler(profiling: profiling, pipeline: self.pipeline),
            DraftMetadataJobHandler(store: store, drafting: self.drafting, pipeline: self.pipeline),
            DriftCheckJobHandler(
                store: store,
                detector: profiling.drift,
                refreshDraftOnDrift: configuration.refreshDraftOnDrift,
                pipeline: self.pipeline
            ),
        ]
        if let model = self.model {
            handlers.append(EmbedDocumentsJobHandler(indexer: EmbeddingIndexer(store: store, model: model, modelName: llm.embeddingsModel)))
        }
        self.search = SemanticDatasetSearch(store: store, model: self.model, modelName: llm.embeddingsModel, logger: logger)
        self.worker = JobWorker(
            store: store,
            handlers: handlers,
            configuration: JobWorkerConfiguration(
                concurrency: configuration.jobWorkers,
                leaseSeconds: configuration.jobLeaseSeconds,
                retryBaseSeconds: configuration.jobRetryBaseSeconds
            ),
            signals: self.signals,
            client: self.jobs,
            changeFeed: changeFeed,
            startGate: self.startGate,
            logger: logger
        )
        self.scheduler = RefreshScheduler(
            store: store,
            jobs: self.jobs,
            configuration: RefreshSchedulerConfiguration(profileRefreshHours: configuration.profileRefreshHours),
            startGate: self.startGate,
            logger: logger
        )
    }

    /// In start order; ServiceLifecycle stops them in reverse, so the worker and the scheduler stop
    /// before the HTTP client they may use is shut down.
    public var services: [any Service] {
        var services: [any Service] = []
        if let httpClient = self.httpClient { services.append(httpClient) }
        services.append(self.worker)
        services.append(self.scheduler)
        return services
    }
}

/// Keeps the language model's HTTP client for the life of the server and shuts it down on exit.
struct HTTPClientService: Service {
    let client: LLMHTTPClient
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        do {
            try await self.client.shutdown()
        } catch {
            self.logger.warning("The LLM HTTP client did not shut down cleanly.")
        }
    }
}
