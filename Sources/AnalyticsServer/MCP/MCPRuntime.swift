import AnalyticsCore
import ControlPlane
import Logging
import MCPTools
import MetadataStore
import ServiceLifecycle

/// The MCP side of a server process: tools over the registry and engine, the Streamable HTTP
/// sessions, and the watcher that tells sessions when the set of active datasets changes.
public final class MCPRuntime: Sendable {
    public let catalog: DatasetCatalog
    public let server: AnalyticsMCPServer
    public let http: MCPHTTPService
    public let watcher: ActiveDatasetWatcher

    public init(
        configuration: ServerConfiguration,
        store: any MetadataStore,
        changeFeed: ChangeFeed,
        engine: any AnalyticsQueryEngine,
        recorder: any ToolCallRecorder,
        profiles: @escaping ProfileProvider,
        semanticSearch: SemanticDatasetSearch? = nil,
        logger: Logger
    ) {
        let catalog = DatasetCatalog(registry: store, profiles: profiles)
        let environment = ToolEnvironment(
            store: store,
            catalog: catalog,
            engine: engine,
            recorder: recorder,
            semanticSearch: semanticSearch,
            limits: ToolLimits(maxPlanQueries: configuration.maxPlanQueries, toolsPageSize: configuration.mcpToolsPageSize),
            logger: logger
        )
        let server = AnalyticsMCPServer(dispatcher: ToolDispatcher(environment: environment))
        let http = MCPHTTPService(mcp: server, configuration: configuration, logger: logger)
        self.catalog = catalog
        self.server = server
        self.http = http
        self.watcher = ActiveDatasetWatcher(feed: changeFeed, registry: store, catalog: catalog, logger: logger) { _ in
            await http.announceRegistryChange()
        }
    }

    /// The long-running parts to add to the application's service group.
    public var services: [any Service] { [self.http, self.watcher] }
}
