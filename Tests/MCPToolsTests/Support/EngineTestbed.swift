import AnalyticsCore
import ControlPlane
import DataPlane
import Foundation
import Logging
import MCP
import MCPTools
import MetadataStore
import ServiceLifecycle
import TestSupport

/// The tools over the real query engine: a SQLite metadata store, one SQLite dataset (respondents
/// with gender and weight) sealed by a real vault, and the connector registry and query-log writer
/// running as services.
struct EngineTestbed: Sendable {
    let store: any MetadataStore
    let queryLog: QueryLogWriter
    let dispatcher: ToolDispatcher
    let weighting: WeightingService
    let directory: TemporaryDirectory

    static let logger = Logger(label: "mcp-engine-test") { _ in SwiftLogNoOpLogHandler() }

    static func run(_ body: @Sendable (EngineTestbed) async throws -> Void) async throws {
        let directory = try TemporaryDirectory(prefix: "mcpa-tools-engine")
        defer { directory.remove() }
        let store = try SQLiteMetadataStore(path: directory.file("registry.sqlite"), logger: self.logger)
        _ = try await store.migrate()
        let vault = SecretVault(keyring: SecretKeyring(active: SecretKeyring.generateKey()), logger: self.logger)
        let path = try TestSQLite.createSampleDatabase(at: directory.file("panel.sqlite"), rows: 40)
        let url = try ConnectionURL("sqlite:" + path)
        let settings = DatasetSettings(poolSize: 2, maxConcurrentQueries: 2, statementTimeoutMs: 20_000)
        let draft = Dataset(
            id: "panel",
            name: "Panel",
            description: "Respondents.",
            connectionKind: .sqlite,
            redactedURL: url.redacted,
            settings: settings,
            createdBy: "t"
        )
        _ = try await store.createDataset(draft, secret: try vault.seal(url.raw), actor: "t")
        for state in [LifecycleState.metadataPending, .humanReview, .approved, .active] {
            _ = try await store.transitionDataset(id: "panel", to: state, actor: "t", note: nil)
        }
        let connectors = ConnectorRegistry(
            secrets: { id in
                guard let sealed = try await store.sealedSecret(datasetID: id) else { throw AnalyticsError.datasetNotFound(id) }
                return try ConnectionURL(try vault.open(sealed))
            },
            logger: self.logger
        )
        let queryLog = QueryLogWriter(store: store, logger: self.logger)
        let engine = QueryEngine(connectors: connectors, datasets: store, queryLog: queryLog, logger: self.logger)
        let weighting = WeightingService(store: store, connectors: connectors, logger: self.logger)
        let environment = ToolEnvironment(
            store: store,
            catalog: DatasetCatalog(registry: store) { _ in nil },
            engine: engine,
            recorder: queryLog,
            logger: self.logger
        )
        let bed = EngineTestbed(
            store: store,
            queryLog: queryLog,
            dispatcher: ToolDispatcher(environment: environment),
            weighting: weighting,
            directory: directory
        )
        let group = ServiceGroup(configuration: .init(services: [queryLog, connectors], logger: self.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body(bed)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    func call(
        _ name: String,
        _ arguments: [String: JSONValue] = [:],
        as principal: Principal = ToolTestbed.analyst,
        progress: ProgressReporter? = nil
    ) async throws -> CallTool.Result {
        try await self.dispatcher.call(
            name,
            arguments: arguments.mapValues(\.mcpValue),
            caller: CallerContext(principal: principal, clientName: "inspector", clientVersion: "0.17", tool: name),
            progress: progress
        )
    }

    /// Every query-log entry so far (after a flush), newest first.
    func log() async throws -> [QueryLogEntry] {
        try await self.queryLog.flush()
        return try await self.store.queryLog(QueryLogFilter(limit: 1_000))
    }
}
