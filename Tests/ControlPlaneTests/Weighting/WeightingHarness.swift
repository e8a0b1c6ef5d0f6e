import AnalyticsCore
import ControlPlane
import DataPlane
import DemoPanel
import Foundation
import Logging
import MetadataStore
import TestSupport

/// A SQLite metadata store, a running connector registry and query-log writer, the query engine
/// that runs breakdowns, and a small demo panel registered as dataset `panel` (draft, no weighting
/// config), for the weighting service tests.
struct WeightingHarness: Sendable {
    let store: any MetadataStore
    let datasets: DatasetService
    let weighting: WeightingService
    let registry: ConnectorRegistry
    let queryLog: QueryLogWriter
    /// Reads the registry on every call (no change listener runs here to announce new versions).
    let engine: QueryEngine

    static let logger = Logger(label: "test.weighting-service")
    static let admin = Principal(id: "t-admin", name: "ada", role: .admin)
    static let reviewer = Principal(id: "t-reviewer", name: "rita", role: .reviewer)
    static let analyst = Principal(id: "t-analyst", name: "ana", role: .analyst)
    static let viewer = Principal(id: "t-viewer", name: "vic", role: .viewer)

    static func caller(_ principal: Principal, tool: String = "weighted_breakdown") -> CallerContext {
        CallerContext(principal: principal, clientName: "tests", clientVersion: "1", tool: tool)
    }

    /// One small panel file per test process.
    actor Panel {
        static let shared = Panel()
        private var task: Task<String, any Error>?

        func path() async throws -> String {
            if let task { return try await task.value }
            let task = Task<String, any Error> {
                let directory = try TemporaryDirectory(prefix: "mcpa-weighting-service")
                let path = directory.file("panel.sqlite")
                let spec = DemoPanelSpec(seed: 99, scale: 0.5, endDay: try DemoDay(year: 2025, month: 6, day: 30), months: 3)
                _ = try DemoPanelWriter(spec: spec, logger: WeightingHarness.logger).write(to: path)
                return path
            }
            self.task = task
            return try await task.value
        }
    }

    static func run(_ body: @Sendable (WeightingHarness) async throws -> Void) async throws {
        let directory = try TemporaryDirectory(prefix: "mcpa-weighting-store")
        defer { directory.remove() }
        let store = try SQLiteMetadataStore(path: directory.file("registry.sqlite"), logger: self.logger)
        _ = try await store.migrate()
        let vault = SecretVault(keyring: SecretKeyring(active: SecretKeyring.generateKey()), logger: self.logger)
        let datasets = DatasetService(store: store, vault: vault, probe: ConnectionProbe(logger: self.logger), logger: self.logger)
        let registry = ConnectorRegistry(secrets: { id in try await datasets.connectionURL(for: id) }, logger: self.logger)
        let path = try await Panel.shared.path()
        _ = try await datasets.create(CreateDatasetRequest(id: "panel", name: "Panel", connectionURL: "sqlite:" + path), by: self.admin)
        let queryLog = QueryLogWriter(store: store, logger: self.logger)
        let harness = WeightingHarness(
            store: store,
            datasets: datasets,
            weighting: WeightingService(store: store, connectors: registry, logger: self.logger),
            registry: registry,
            queryLog: queryLog,
            engine: QueryEngine(
                connectors: registry,
                datasets: store,
                queryLog: queryLog,
                configuration: EngineConfiguration(datasetCacheTTL: .zero),
                logger: self.logger
            )
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            group.addTask { try await registry.run() }
            group.addTask { try await queryLog.run() }
            defer { group.cancelAll() }
            try await body(harness)
        }
    }

    /// Moves `panel` through review to `active`.
    func activate() async throws {
        for state in [LifecycleState.metadataPending, .humanReview] {
            _ = try await self.store.transitionDataset(id: "panel", to: state, actor: "test", note: nil)
        }
        _ = try await self.datasets.approve("panel", note: nil, by: Self.admin)
    }
}
