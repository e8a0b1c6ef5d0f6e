import AnalyticsCore
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The metadata store in PostgreSQL, for production: N server processes share one database.
///
/// PostgreSQL is the coordination engine: row locks (`SELECT … FOR UPDATE`) make read-modify-write
/// edits and lifecycle moves safe across processes, `FOR UPDATE SKIP LOCKED` lets several workers
/// share the job queue, and every change event also raises `pg_notify('mcpa_events', id)` so other
/// processes' ``ChangeFeed``s wake at once. The store owns a `PostgresClient` pool that ``run()``
/// runs: put the store first in the `ServiceGroup` so it stops last.
public final class PostgresMetadataStore: MetadataStore, ChangeNotificationSource {
    public var backend: String { "postgres" }
    /// The `LISTEN`/`NOTIFY` channel that carries new event ids.
    public static let eventChannel = "mcpa_events"
    /// Advisory lock serialising migrations across processes.
    static let migrationLockKey: Int64 = 0x6D63_7061_0001
    /// Advisory lock serialising event appends, so event ids become visible in increasing order.
    static let eventLockKey: Int64 = 0x6D63_7061_0002

    /// How long an operation may wait for a pooled connection before failing.
    public let operationTimeout: Duration
    let client: PostgresClient
    let url: ConnectionURL
    let logger: Logger

    /// Prepares the pool; nothing connects until ``run()`` runs and a query needs a connection.
    ///
    /// - Parameters:
    ///   - maximumConnections: the pool's size (the `LISTEN` connection comes on top).
    ///   - operationTimeout: how long an operation may wait for a connection before failing with
    ///     `STORE_UNAVAILABLE`.
    public init(
        url: ConnectionURL,
        logger: Logger,
        maximumConnections: Int = 10,
        operationTimeout: Duration = .seconds(30)
    ) throws {
        var logger = logger
        logger[metadataKey: "mcpa.store"] = "postgres"
        var configuration = try PostgresClient.Configuration(url: url, applicationName: "mcp-analytics-store")
        configuration.options.maximumConnections = max(maximumConnections, 1)
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.url = url
        self.logger = logger
        self.operationTimeout = operationTimeout
    }

    /// Runs the connection pool until graceful shutdown or cancellation.
    public func run() async throws {
        await self.client.run()
    }

    public func ping() async throws {
        try await self.connection("ping") { connection in
            _ = try await connection.rows("SELECT 1", logger: self.logger)
        }
    }

    public func migrate() async throws -> [String] {
        var applied: [String] = []
        for migration in PostgresMigrations.all {
            let didApply = try await self.transaction("migrate") { connection -> Bool in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLockKey))", logger: self.logger)
                try await connection.query(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)",
                    logger: self.logger
                )
                let done = try await connection.firstRow(
                    "SELECT 1 AS one FROM schema_migrations WHERE name = \(migration.name)",
                    logger: self.logger
                )
                if done != nil { return false }
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES (\(migration.name), \(StoreTimestamp.now()))",
                    logger: self.logger
                )
                return true
            }
            if didApply {
                applied.append(migration.name)
                self.logger.info("Applied store migration.", metadata: ["mcpa.store.migration": "\(migration.name)"])
            }
        }
        return applied
    }

    public func appliedMigrations() async throws -> [String] {
        try await self.connection("applied migrations") { connection in
            let exists = try await connection.firstRow(
                "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
                logger: self.logger
            )
            guard try exists?.bool("present") == true else { return [] }
            return try await connection.rows("SELECT name FROM schema_migrations ORDER BY name", logger: self.logger)
                .map { try $0.string("name") }
        }
    }

    /// Runs `body` in a transaction on one pooled connection: committed if it returns, rolled back
    /// if it throws (the original error is rethrown; driver errors become `AnalyticsError`s).
    func transaction<T: Sendable>(
        _ operation: String,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await self.withLeasedConnection(operation) { connection in
            try await connection.query("BEGIN", logger: self.logger)
            do {
                let value = try await body(connection)
                try await connection.query("COMMIT", logger: self.logger)
                return value
            } catch {
                do {
                    try await connection.query("ROLLBACK", logger: self.logger)
                } catch {
                    // A connection that cannot roll back must not go back to the pool mid-transaction.
                    try? await connection.close()
                }
                throw error
            }
        }
    }

    /// Runs `body` on one pooled connection without a transaction (single-statement reads).
    func connection<T: Sendable>(
        _ operation: String,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await self.withLeasedConnection(operation, body)
    }

    private enum Outcome<T: Sendable>: Sendable {
        case value(T)
        case timedOut
        case leasedInTime
    }

    /// Leases a connection, giving up after ``operationTimeout`` if none can be had: the pool retries
    /// an unreachable server forever, so without a bound a request would hang instead of failing
    /// with `STORE_UNAVAILABLE`. Once leased, the work itself is not cut short, so a timeout never
    /// reports failure for a transaction that then commits.
    private func withLeasedConnection<T: Sendable>(
        _ operation: String,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let leased = LeaseFlag()
        do {
            return try await withThrowingTaskGroup(of: Outcome<T>.self) { group in
                group.addTask {
                    .value(
                        try await self.client.withConnection { connection in
                            leased.set()
                            return try await body(connection)
                        }
                    )
                }
                group.addTask {
                    try await Task.sleep(for: self.operationTimeout)
                    return leased.isSet ? .leasedInTime : .timedOut
                }
                while let outcome = try await group.next() {
                    switch outcome {
                    case .value(let value):
                        group.cancelAll()
                        return value
                    case .leasedInTime:
                        continue
                    case .timedOut:
                        group.cancelAll()
                        self.logger.error(
                            "No metadata store connection became available in time.",
                            metadata: ["mcpa.store.operation": "\(operation)", "mcpa.store.timeout": "\(self.operationTimeout)"]
                        )
                        throw StoreFailure.unavailable(operation)
                    }
                }
                throw StoreFailure.unavailable(operation)
            }
        } catch {
            throw StoreFailure.map(error, operation: operation, logger: self.logger)
        }
    }
}

/// Set once a pooled connection has been handed out.
private final class LeaseFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { self.value.store(true, ordering: .releasing) }
    var isSet: Bool { self.value.load(ordering: .acquiring) }
}
