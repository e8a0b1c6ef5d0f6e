import AnalyticsCore
import ControlPlane
import Logging
import MetadataStore

/// Limits that keep tool results and the tool list small (DESIGN §5.3).
public struct ToolLimits: Sendable, Hashable {
    /// Sub-queries one `run_query_plan` may hold.
    public var maxPlanQueries: Int
    /// Characters `describe_dataset` level 1 may use (4 chars ≈ 1 token).
    public var level1Budget: Int
    /// Characters levels 2 and 3 may use before tables are summarised with a hint.
    public var detailBudget: Int
    /// Tools per `tools/list` page; 0 lists them all at once.
    public var toolsPageSize: Int
    /// Characters a whole `run_query_plan` result may use. Each step is already held to the engine's
    /// budget, but 50 of them would exceed what clients accept (Claude ~150k characters; the Python
    /// SDK refuses SSE events over 1 MiB), so the largest steps give up rows first.
    public var planResultBudget: Int

    public init(
        maxPlanQueries: Int = 50,
        level1Budget: Int = 8_000,
        detailBudget: Int = 24_000,
        toolsPageSize: Int = 0,
        planResultBudget: Int = 100_000
    ) {
        self.maxPlanQueries = maxPlanQueries
        self.level1Budget = level1Budget
        self.detailBudget = detailBudget
        self.toolsPageSize = toolsPageSize
        self.planResultBudget = planResultBudget
    }
}

/// Everything the tools need, shared by every session.
public struct ToolEnvironment: Sendable {
    public var store: any MetadataStore
    public var catalog: DatasetCatalog
    public var engine: any AnalyticsQueryEngine
    public var recorder: any ToolCallRecorder
    /// BM25 blended with embeddings for `search_datasets`; without it the catalog's BM25 index ranks.
    public var semanticSearch: SemanticDatasetSearch?
    public var limits: ToolLimits
    public var logger: Logger

    public init(
        store: any MetadataStore,
        catalog: DatasetCatalog,
        engine: any AnalyticsQueryEngine,
        recorder: any ToolCallRecorder,
        semanticSearch: SemanticDatasetSearch? = nil,
        limits: ToolLimits = ToolLimits(),
        logger: Logger
    ) {
        self.store = store
        self.catalog = catalog
        self.engine = engine
        self.recorder = recorder
        self.semanticSearch = semanticSearch
        self.limits = limits
        self.logger = logger
    }
}
