import AnalyticsCore
import DataPlane
import Foundation
import Logging
import MCP
import MCPTools
import MetadataStore
import TestSupport

/// A real SQLite metadata store with registered datasets, and the tools over it.
struct ToolTestbed: Sendable {
    let store: any MetadataStore
    let directory: TemporaryDirectory
    let dispatcher: ToolDispatcher
    let profiles: [String: DatasetProfile]

    static let analyst = Principal(id: "tok-analyst", name: "analyst-1", role: .analyst)
    static let viewer = Principal(id: "tok-viewer", name: "viewer-1", role: .viewer)

    /// Datasets to register: id, name, description, tags, final state, weighted.
    struct Seed: Sendable {
        var id: String
        var name: String
        var description: String
        var tags: [String] = []
        var state: LifecycleState = .active
        var weighted = false
    }

    static let defaultSeeds = [
        Seed(
            id: "tv_panel",
            name: "TV Viewing Panel",
            description: "Weighted panel of TV viewers. Daily viewing sessions by channel.",
            tags: ["tv", "panel"],
            weighted: true
        ),
        Seed(
            id: "retail_survey",
            name: "Retail Shopper Survey",
            description: "Quarterly survey of grocery shoppers and their store choice.",
            tags: ["retail"]
        ),
        Seed(id: "draft_only", name: "Draft Dataset", description: "Not reviewed yet.", state: .draft),
    ]

    static func run(
        seeds: [Seed] = ToolTestbed.defaultSeeds,
        profiles: [String: DatasetProfile] = ["tv_panel": ProfileFixtures.panel(datasetID: "tv_panel")],
        limits: ToolLimits = ToolLimits(),
        _ body: @Sendable (ToolTestbed) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory(prefix: "mcpa-tools")
        defer { directory.remove() }
        let logger = Logger(label: "tools-test") { _ in SwiftLogNoOpLogHandler() }
        let store = try MetadataStores.open(url: "sqlite:" + directory.file("registry.sqlite"), logger: logger)
        _ = try await store.migrate()
        for seed in seeds { try await self.register(seed, in: store) }
        let catalog = DatasetCatalog(registry: store) { id in profiles[id] }
        // The engine is real but its services do not run: these tools never reach it.
        let queryLog = QueryLogWriter(store: store, logger: logger)
        let connectors = ConnectorRegistry(secrets: { id in throw AnalyticsError.datasetNotFound(id) }, logger: logger)
        let engine = QueryEngine(connectors: connectors, datasets: store, queryLog: queryLog, logger: logger)
        let environment = ToolEnvironment(store: store, catalog: catalog, engine: engine, recorder: queryLog, limits: limits, logger: logger)
        try await body(ToolTestbed(store: store, directory: directory, dispatcher: ToolDispatcher(environment: environment), profiles: profiles))
    }

    static func register(_ seed: Seed, in store: any MetadataStore) async throws {
        let dataset = Dataset(
            id: seed.id,
            name: seed.name,
            description: seed.description,
            tags: seed.tags,
            connectionKind: .sqlite,
            redactedURL: "sqlite:/data/\(seed.id).sqlite",
            weighting: seed.weighted ? ["respondent_table": "respondents", "weight_column": "weight", "min_base": 30] : nil,
            warnings: seed.weighted ? ["Login can write to table respondents"] : [],
            createdBy: "test"
        )
        _ = try await store.createDataset(dataset, secret: SealedSecret(keyID: "k1", combined: Data([1, 2, 3])), actor: "test")
        let path: [LifecycleState] = [.metadataPending, .humanReview, .approved, .active]
        guard let end = path.firstIndex(of: seed.state) else { return }
        for state in path[...end] {
            _ = try await store.transitionDataset(id: seed.id, to: state, actor: "test", note: nil)
        }
    }

    /// Calls a tool as `principal` through a client named `tests 1.0`.
    func call(_ name: String, _ arguments: [String: JSONValue] = [:], as principal: Principal = ToolTestbed.analyst) async throws -> CallTool.Result {
        try await self.dispatcher.call(
            name,
            arguments: arguments.mapValues(\.mcpValue),
            caller: CallerContext(principal: principal, clientName: "tests", clientVersion: "1.0", tool: name),
            progress: nil
        )
    }
}

extension CallTool.Result {
    /// The structured content as our JSON type.
    var structured: JSONValue? { self.structuredContent.map(JSONValue.init(mcp:)) }
    var text: String? {
        guard case .text(let text, _, _)? = self.content.first else { return nil }
        return text
    }
    var errorCode: String? { self.structured?["error"]?["code"]?.stringValue }
}
