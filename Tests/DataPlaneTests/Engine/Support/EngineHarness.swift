import AnalyticsCore
import DataPlane
import Foundation
import Logging
import MetadataStore
import ServiceLifecycle
import TestSupport
import Testing

/// A query engine over real parts: a SQLite metadata store in a temporary directory holding the
/// datasets (credentials sealed by a real vault), a connector registry, a query log writer, the
/// store's change feed and the engine's change listener running as services, and a result cache.
struct EngineHarness: Sendable {
    static let logger = Logger(label: "test.engine")

    let directory: TemporaryDirectory
    let store: SQLiteMetadataStore
    let vault: SecretVault
    let connectors: ConnectorRegistry
    let queryLog: QueryLogWriter
    let cache: ResultCache
    let engine: QueryEngine
    let feed: ChangeFeed

    struct Options: Sendable {
        var engine = EngineConfiguration()
        var cache = ResultCache.Configuration()
        var log = QueryLogWriter.Configuration(retryDelay: .milliseconds(20), maximumRetryDelay: .milliseconds(200))
        var breaker = CircuitBreaker.Configuration(failureThreshold: 2, coolDown: .milliseconds(300))
        var now: @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
        var inspectors: [QueryEngine.Inspector] = []
        /// Run the change feed and listener; off to test what holds without them.
        var listensForChanges = true
    }

    /// Builds the harness, runs its services in a service group for the duration of `body`, then
    /// shuts them down gracefully (the query log drains before this returns).
    static func with<T: Sendable>(_ options: Options = Options(), _ body: (EngineHarness) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory(prefix: "mcpa-engine")
        defer { directory.remove() }
        let store = try SQLiteMetadataStore(path: directory.file("registry.sqlite"), logger: self.logger)
        _ = try await store.migrate()
        let vault = SecretVault(keyring: SecretKeyring(active: SecretKeyring.generateKey()), logger: self.logger)
        let connectors = ConnectorRegistry(
            secrets: { id in
                guard let sealed = try await store.sealedSecret(datasetID: id) else { throw AnalyticsError.datasetNotFound(id) }
                return try ConnectionURL(try vault.open(sealed))
            },
            breakerConfiguration: options.breaker,
            logger: self.logger,
            now: options.now
        )
        let queryLog = QueryLogWriter(store: store, configuration: options.log, logger: self.logger)
        let cache = ResultCache(configuration: options.cache, now: options.now)
        let engine = QueryEngine(
            connectors: connectors,
            datasets: store,
            queryLog: queryLog,
            cache: cache,
            configuration: options.engine,
            inspectors: options.inspectors,
            logger: self.logger,
            now: options.now
        )
        let feed = ChangeFeed(store: store, pollInterval: .milliseconds(50), logger: self.logger)
        let harness = EngineHarness(
            directory: directory,
            store: store,
            vault: vault,
            connectors: connectors,
            queryLog: queryLog,
            cache: cache,
            engine: engine,
            feed: feed
        )
        var services: [any Service] = [queryLog, connectors]
        if options.listensForChanges {
            services = [feed, queryLog, connectors, DatasetChangeListener(feed: feed, engine: engine, logger: self.logger)]
        }
        let group = ServiceGroup(configuration: .init(services: services, logger: self.logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            if options.listensForChanges { await feed.ready() }
            do {
                let result = try await body(harness)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    /// Registers a dataset and moves it through review to `state` (default `active`).
    @discardableResult
    func addDataset(
        _ id: String,
        url: ConnectionURL,
        settings: DatasetSettings = EngineHarness.settings(),
        state: LifecycleState = .active
    ) async throws -> Dataset {
        let draft = Dataset(id: id, name: id, connectionKind: url.kind, redactedURL: url.redacted, settings: settings, createdBy: "test")
        var dataset = try await self.store.createDataset(draft, secret: try self.vault.seal(url.raw), actor: "test")
        let path: [LifecycleState] = [.metadataPending, .humanReview, .approved, .active]
        for step in path {
            if dataset.state == state { break }
            dataset = try await self.store.transitionDataset(id: id, to: step, actor: "test", note: nil)
        }
        if state == .inactive {
            dataset = try await self.store.transitionDataset(id: id, to: .inactive, actor: "test", note: nil)
        }
        return dataset
    }

    static func settings(
        poolSize: Int = 3,
        statementTimeoutMs: Int = 10_000,
        rawRowLimit: Int = 5,
        defaultRowLimit: Int = 200,
        maxRowLimit: Int = 5_000
    ) -> DatasetSettings {
        DatasetSettings(
            poolSize: poolSize,
            maxConcurrentQueries: poolSize,
            // Generous: the debug build's SCRAM handshake is slow when every suite runs at once.
            connectTimeoutMs: 60_000,
            statementTimeoutMs: statementTimeoutMs,
            rawRowLimit: rawRowLimit,
            defaultRowLimit: defaultRowLimit,
            maxRowLimit: maxRowLimit
        )
    }

    static func caller(_ role: Role = .analyst, name: String? = nil, tool: String = "test") -> CallerContext {
        let name = name ?? "test-\(role.rawValue)"
        return CallerContext(
            principal: Principal(id: "id-" + name, name: name, role: role),
            clientName: "engine-tests",
            clientVersion: "1.0",
            tool: tool
        )
    }

    func query(
        _ datasetID: String,
        _ sql: String,
        limit: Int? = nil,
        persona: String? = nil,
        as caller: CallerContext = Self.caller()
    ) async throws -> QueryResult {
        try await self.engine.execute(QueryRequest(datasetID: datasetID, sql: sql, limit: limit, persona: persona), caller: caller)
    }

    /// Every log entry written so far (after a flush), newest first.
    func logEntries(_ filter: QueryLogFilter = QueryLogFilter(limit: 100_000)) async throws -> [QueryLogEntry] {
        try await self.queryLog.flush()
        return try await self.store.queryLog(filter)
    }
}
