import AnalyticsCore
import Logging
import ServiceLifecycle

/// Owns one live connector and one circuit breaker per dataset (DESIGN §5.1 layer 4).
///
/// Connectors are created lazily from a `Dataset` and its connection URL (fetched from the secret
/// store through `secrets` only when needed), and replaced when the dataset's `version` grows —
/// its URL or settings may have changed. The replaced connector is closed gracefully: it refuses
/// new queries, lets running ones finish, then closes its pool.
///
/// The registry is a ServiceLifecycle `Service`: every connector's background work (a
/// PostgreSQL pool's connection management) runs as a child task of ``run()``, fed through an
/// `AsyncStream`, so nothing outlives the registry and graceful shutdown closes every pool.
///
/// Datasets never wait on each other: the registry's lock guards only its dictionaries and is never
/// held across an `await`, and each dataset has its own pool, concurrency gate and breaker. A
/// pool recovers by itself when its database comes back (PostgresNIO reconnects); the breaker
/// stops callers from piling up on a dead database in the meantime.
public final class ConnectorRegistry: Service, Sendable {
    /// Returns the connection URL (a secret) for a dataset id.
    public typealias SecretProvider = @Sendable (String) async throws -> ConnectionURL

    private struct Entry {
        var version: Int
        var connector: any ManagedDatasetConnector
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var breakers: [String: CircuitBreaker] = [:]
        var shutDown = false
    }

    private let secrets: SecretProvider
    private let breakerConfiguration: CircuitBreaker.Configuration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let logger: Logger
    private let state = LockedBox(State())
    private let launches: AsyncStream<any ManagedDatasetConnector>
    private let launch: AsyncStream<any ManagedDatasetConnector>.Continuation

    public init(
        secrets: @escaping SecretProvider,
        breakerConfiguration: CircuitBreaker.Configuration = CircuitBreaker.Configuration(),
        logger: Logger,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.secrets = secrets
        self.breakerConfiguration = breakerConfiguration
        self.now = now
        self.logger = logger
        (self.launches, self.launch) = AsyncStream.makeStream(of: (any ManagedDatasetConnector).self)
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await connector in self.launches {
                    group.addTask { await connector.run() }
                }
            }
        } onGracefulShutdown: {
            self.shutDown()
        }
        self.shutDown()
    }

    /// Runs `body` with the dataset's connector, through its circuit breaker.
    public func execute<T: Sendable>(
        dataset: Dataset,
        _ body: (any DatasetConnector) async throws -> T
    ) async throws -> T {
        try await self.breaker(for: dataset.id).execute {
            try await body(try await self.connector(for: dataset))
        }
    }

    /// ``DatasetConnector/query(_:binds:maxRows:timeout:)`` through the dataset's breaker.
    public func query(dataset: Dataset, sql: String, binds: [JSONValue] = [], maxRows: Int, timeout: Duration) async throws -> RawRows {
        try await self.execute(dataset: dataset) { connector in
            try await connector.query(sql, binds: binds, maxRows: maxRows, timeout: timeout)
        }
    }

    /// The dataset's live connector, created (or replaced, when `dataset.version` is newer) on demand.
    public func connector(for dataset: Dataset) async throws -> any DatasetConnector {
        let current = try self.state.withLock { state -> Result<(any ManagedDatasetConnector)?, AnalyticsError> in
            guard !state.shutDown else { return .failure(self.shuttingDown(dataset.id)) }
            guard let entry = state.entries[dataset.id], entry.version >= dataset.version else { return .success(nil) }
            return .success(entry.connector)
        }.get()
        if let current { return current }

        let url: ConnectionURL
        do {
            url = try await self.secrets(dataset.id)
        } catch let error as AnalyticsError {
            throw error
        } catch {
            self.logger.error("could not read dataset credentials", metadata: ["mcpa.dataset": "\(dataset.id)"])
            throw AnalyticsError(
                .datasetUnavailable,
                "Dataset '\(dataset.id)' is unavailable: its credentials could not be read.",
                hint: "An operator should check the metadata store and the secret key."
            )
        }
        let created = try self.makeConnector(dataset, url: url)

        enum Outcome {
            case installed(replaced: (any ManagedDatasetConnector)?)
            case lost(to: any ManagedDatasetConnector)
            case refused
        }
        let outcome = self.state.withLock { state -> Outcome in
            guard !state.shutDown else { return .refused }
            if let entry = state.entries[dataset.id], entry.version >= dataset.version { return .lost(to: entry.connector) }
            let replaced = state.entries[dataset.id]?.connector
            state.entries[dataset.id] = Entry(version: dataset.version, connector: created)
            self.launch.yield(created)
            return .installed(replaced: replaced)
        }
        switch outcome {
        case .installed(let replaced):
            if let replaced {
                self.logger.info("replacing dataset connector", metadata: ["mcpa.dataset": "\(dataset.id)", "mcpa.version": "\(dataset.version)"])
                replaced.close()
            }
            return created
        case .lost(let winner):
            created.close()
            return winner
        case .refused:
            created.close()
            throw self.shuttingDown(dataset.id)
        }
    }

    /// Closes and forgets the dataset's connector and breaker (dataset deactivated or deleted).
    public func remove(datasetID: String) {
        let removed = self.state.withLock { state -> (any ManagedDatasetConnector)? in
            state.breakers[datasetID] = nil
            return state.entries.removeValue(forKey: datasetID)?.connector
        }
        removed?.close()
    }

    /// The dataset's circuit breaker (created closed on first use); it outlives connector replacements.
    public func breaker(for datasetID: String) -> CircuitBreaker {
        self.state.withLock { state in
            if let breaker = state.breakers[datasetID] { return breaker }
            let breaker = CircuitBreaker(name: datasetID, configuration: self.breakerConfiguration, now: self.now)
            state.breakers[datasetID] = breaker
            return breaker
        }
    }

    /// Breaker state per dataset with a live breaker, for `/health` and metrics.
    public func health() -> [String: CircuitBreaker.Snapshot] {
        self.state.withLock { $0.breakers }.mapValues(\.snapshot)
    }

    /// Ids of datasets with a live connector, and the dataset version it was built for.
    public func loadedVersions() -> [String: Int] {
        self.state.withLock { $0.entries.mapValues(\.version) }
    }

    private func makeConnector(_ dataset: Dataset, url: ConnectionURL) throws -> any ManagedDatasetConnector {
        switch url.kind {
        case .postgres:
            return try PostgresConnector(datasetID: dataset.id, url: url, settings: dataset.settings, logger: self.logger)
        case .sqlite:
            return try SQLiteConnector(datasetID: dataset.id, url: url, settings: dataset.settings, logger: self.logger)
        }
    }

    private func shutDown() {
        let connectors = self.state.withLock { state -> [any ManagedDatasetConnector] in
            state.shutDown = true
            defer { state.entries = [:] }
            return state.entries.values.map(\.connector)
        }
        self.launch.finish()
        for connector in connectors { connector.close() }
    }

    private func shuttingDown(_ datasetID: String) -> AnalyticsError {
        AnalyticsError(
            .datasetUnavailable,
            "Dataset '\(datasetID)' is unavailable: the server is shutting down.",
            hint: "Retry against another replica or after the restart."
        )
    }
}
