import AnalyticsCore
import DataPlane
import DemoPanel
import Foundation
import Logging
import MetadataStore
import PostgresNIO
import SQLGuard
import ServiceLifecycle

/// `mcp-analytics bench engine`: the query engine against raw PostgresNIO on the demo panel, both
/// with the same pool size, measured in the same run (DESIGN §6).
///
/// Scenarios: (a) a small weighted aggregate, guarded vs raw, and the guard's parse alone; (b) 30
/// sub-queries of about 100 ms as one plan with pool P vs one by one (and vs raw with pool P); (c)
/// `SELECT *` on the largest event table with limit 100 vs raw `LIMIT 101`, with the process's peak
/// memory growth; (d) a result-cache hit. Medians are over every sample of every run.
public struct EngineBenchmark: Sendable {
    public struct Options: Sendable {
        /// A PostgreSQL URL whose login may create tables (the demo panel is loaded there).
        public var url: ConnectionURL
        public var scale: Double
        public var runs: Int
        /// Pool size of both the engine's dataset and the raw client.
        public var pool: Int

        public init(url: ConnectionURL, scale: Double = 1, runs: Int = 5, pool: Int = 8) {
            self.url = url
            self.scale = scale
            self.runs = max(1, runs)
            self.pool = max(1, pool)
        }
    }

    public var options: Options
    public var logger: Logger

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    static let datasetID = "bench_panel"

    /// Loads the panel when needed, runs every scenario and returns the figures; `status` receives
    /// one line per phase.
    public func run(status: @escaping @Sendable (String) -> Void) async throws -> EngineBenchmarkReport {
        let spec = DemoPanelSpec(scale: self.options.scale)
        try spec.validate()
        let loaded = try await self.ensurePanel(spec, status: status)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mcpa-bench-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteMetadataStore(path: directory.appendingPathComponent("registry.sqlite").path, logger: self.logger)
        _ = try await store.migrate()
        let dataset = try await self.registerDataset(in: store)
        let url = self.options.url
        let connectors = ConnectorRegistry(secrets: { _ in url }, logger: self.logger)
        let queryLog = QueryLogWriter(store: store, logger: self.logger)
        let uncached = QueryEngine(
            connectors: connectors,
            datasets: store,
            queryLog: queryLog,
            cache: ResultCache(configuration: .init(ttl: .zero)),
            logger: self.logger
        )
        let cached = QueryEngine(connectors: connectors, datasets: store, queryLog: queryLog, logger: self.logger)

        var rawConfiguration = try PostgresClient.Configuration(url: url, applicationName: "mcp-analytics:bench-raw")
        rawConfiguration.options.maximumConnections = self.options.pool
        rawConfiguration.options.minimumConnections = 0
        let raw = PostgresClient(configuration: rawConfiguration, backgroundLogger: self.logger)

        let group = ServiceGroup(configuration: .init(services: [queryLog, connectors], logger: self.logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask { await raw.run() }
            defer { tasks.cancelAll() }
            let context = Scenario(
                options: self.options,
                dataset: dataset,
                uncached: uncached,
                cached: cached,
                raw: raw,
                datasets: store,
                caller: CallerContext(principal: .system, clientName: "mcp-analytics bench", tool: "bench engine"),
                logger: self.logger,
                status: status
            )
            let figures = try await context.runAll()
            await group.triggerGracefulShutdown()
            let setup: [EngineBenchmarkReport.Setting] = [
                .init(name: "scale", value: Self.format(self.options.scale)),
                .init(name: "rows", value: "\(loaded)"),
                .init(name: "runs", value: "\(self.options.runs)"),
                .init(name: "pool", value: "\(self.options.pool)"),
                .init(name: "build", value: Self.buildKind),
                .init(name: "server", value: "PostgreSQL " + ((try? await self.serverVersion(raw)) ?? "unknown")),
            ]
            return EngineBenchmarkReport(setup: setup, figures: figures)
        }
    }

    /// Loads the demo panel unless the database already holds it at this scale; returns the counts.
    private func ensurePanel(_ spec: DemoPanelSpec, status: @escaping @Sendable (String) -> Void) async throws -> DemoPanelCounts {
        if let counts = try await self.existingCounts(), counts.respondents == spec.respondentCount {
            status("demo panel already loaded at scale \(Self.format(spec.scale)): \(counts)")
            return counts
        }
        status("loading the demo panel at scale \(Self.format(spec.scale)) (\(spec.respondentCount) respondents)…")
        let started = ContinuousClock.now
        let counts = try await DemoPanelLoader(spec: spec, replaceExisting: true, logger: self.logger).load(into: self.options.url)
        status("loaded \(counts) in \(ContinuousClock.now - started)")
        return counts
    }

    private func existingCounts() async throws -> DemoPanelCounts? {
        let configuration = try PostgresConnection.Configuration(url: self.options.url)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: self.logger)
        do {
            let counts = try await self.counts(on: connection)
            try? await connection.close()
            return counts
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private func counts(on connection: PostgresConnection) async throws -> DemoPanelCounts? {
        var present = 0
        for try await count in try await connection.query(
            "SELECT count(*)::int FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename IN ('respondents', 'tv_viewing', 'purchases')",
            logger: self.logger
        ).decode(Int.self) {
            present = count
        }
        guard present == 3 else { return nil }
        var counts = DemoPanelCounts()
        for try await (respondents, viewing, purchases) in try await connection.query(
            "SELECT (SELECT count(*) FROM respondents)::int, (SELECT count(*) FROM tv_viewing)::int, (SELECT count(*) FROM purchases)::int",
            logger: self.logger
        ).decode((Int, Int, Int).self) {
            counts = DemoPanelCounts(respondents: respondents, viewingEvents: viewing, purchases: purchases)
        }
        return counts
    }

    private func registerDataset(in store: SQLiteMetadataStore) async throws -> Dataset {
        let vault = SecretVault(keyring: SecretKeyring(active: SecretKeyring.generateKey()), logger: self.logger)
        let settings = DatasetSettings(
            poolSize: self.options.pool,
            maxConcurrentQueries: self.options.pool,
            statementTimeoutMs: 120_000,
            rawRowLimit: 100,
            defaultRowLimit: 200,
            maxRowLimit: 5_000
        )
        let draft = Dataset(
            id: Self.datasetID,
            name: "Benchmark panel",
            connectionKind: .postgres,
            redactedURL: self.options.url.redacted,
            settings: settings,
            createdBy: "bench"
        )
        _ = try await store.createDataset(draft, secret: try vault.seal(self.options.url.raw), actor: "bench")
        var dataset = draft
        for state in [LifecycleState.metadataPending, .humanReview, .approved, .active] {
            dataset = try await store.transitionDataset(id: Self.datasetID, to: state, actor: "bench", note: nil)
        }
        return dataset
    }

    private func serverVersion(_ client: PostgresClient) async throws -> String? {
        try await client.query("SHOW server_version", logger: self.logger).collect().first?.decode(String.self)
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    static var buildKind: String {
        #if DEBUG
        "debug (figures are only meaningful from a release build)"
        #else
        "release"
        #endif
    }
}
