import AnalyticsCore
import Logging
import MetadataStore
import PostgresNIO

/// A read-only, pooled connection to one PostgreSQL dataset.
///
/// One PostgresNIO `PostgresClient` per dataset (pool size, connect timeout and keep-alive from
/// the dataset's settings). A ``ConcurrencyGate`` admits at most
/// `min(maxConcurrentQueries, poolSize)` queries at once — a query cannot run without a connection,
/// so queueing beyond the pool would only hide waits inside the driver; with the gate, every
/// admitted query gets a connection as soon as one is open, and a connection that cannot be leased
/// within the connect timeout really means the database is unreachable (`DATASET_UNAVAILABLE`).
///
/// The session itself is the connector's layer of defence, so a query costs one round trip: every
/// connection starts with `default_transaction_read_only=on`, the dataset's `statement_timeout` and
/// `standard_conforming_strings=on` as startup parameters (the SQL guard refuses `SET`, `RESET`,
/// transaction control and `set_config`, so a query cannot change them). A statement is capped by
/// wrapping it in `SELECT * FROM (…) LIMIT maxRows + 1` — no cursor, so PostgreSQL keeps its
/// parallel plans — and one that cannot be wrapped runs in `BEGIN READ ONLY … ROLLBACK` as before
/// (see `PostgresConnector+Execution.swift`).
///
/// The client's background work runs in ``run()``; ``ConnectorRegistry`` runs it in its task tree.
/// Queries that arrive before `run()` has begun wait for it (within the connect timeout).
public final class PostgresConnector: ManagedDatasetConnector {
    struct LeaseTimeout: Error {}

    public let datasetID: String
    public var kind: ConnectionURL.Kind { .postgres }
    public let settings: DatasetSettings

    let client: PostgresClient
    let gate: ConcurrencyGate
    let catalog = PostgresTypeCatalog()
    let watch: PostgresStatementWatch
    let sessions: PostgresSessions
    let translator: PostgresErrorTranslator
    let logger: Logger
    private let started = LockedBox(false)
    let running = StartGate()
    private let closeSignal: AsyncStream<Never>
    private let closeContinuation: AsyncStream<Never>.Continuation

    /// - Parameters:
    ///   - url: the dataset's `postgres://` URL, a secret: it is never logged or echoed.
    ///   - keepAliveFrequency: how often idle pooled connections are probed.
    public init(
        datasetID: String,
        url: ConnectionURL,
        settings: DatasetSettings,
        logger: Logger,
        keepAliveFrequency: Duration = .seconds(30),
        eventLoopGroup: any EventLoopGroup = PostgresClient.defaultEventLoopGroup
    ) throws {
        var logger = logger
        logger[metadataKey: "mcpa.dataset"] = "\(datasetID)"
        let connectTimeout = Duration.milliseconds(max(100, settings.connectTimeoutMs))
        var configuration = try PostgresClient.Configuration(url: url, applicationName: Self.applicationName(datasetID))
        configuration.options.maximumConnections = max(1, settings.poolSize)
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = connectTimeout
        configuration.options.keepAliveBehavior = .init(frequency: keepAliveFrequency, query: "SELECT 1")
        // The SQL guard reads statements with libpg_query, which assumes standard-conforming strings;
        // a database or role that turns them off would read `'\'` differently and could run what the
        // guard took for a comment. The session setting is sent at connect time, so both read alike.
        configuration.options.additionalStartupParameters += Self.sessionParameters(settings)
        var sideConfiguration = try PostgresConnection.Configuration(url: url)
        sideConfiguration.options.connectTimeout = .milliseconds(Int64(max(100, settings.connectTimeoutMs)))
        sideConfiguration.options.additionalStartupParameters = [
            ("application_name", Self.applicationName(datasetID) + ":cancel"), Self.standardConformingStrings,
        ]

        self.datasetID = datasetID
        self.settings = settings
        self.logger = logger
        self.client = PostgresClient(configuration: configuration, eventLoopGroup: eventLoopGroup, backgroundLogger: logger)
        self.gate = ConcurrencyGate(limit: min(max(1, settings.maxConcurrentQueries), max(1, settings.poolSize)))
        self.watch = PostgresStatementWatch(configuration: sideConfiguration, logger: logger)
        self.sessions = PostgresSessions(capacity: 2 * max(1, settings.poolSize))
        self.translator = PostgresErrorTranslator(datasetID: datasetID, logger: logger)
        (self.closeSignal, self.closeContinuation) = AsyncStream<Never>.makeStream()
    }

    /// Sent as a startup parameter on every dataset connection (see the pool's configuration).
    static let standardConformingStrings = ("standard_conforming_strings", "on")

    /// The session every pooled connection starts with: read-only transactions, the dataset's
    /// statement timeout, and string literals read as the guard reads them.
    static func sessionParameters(_ settings: DatasetSettings) -> [(String, String)] {
        [
            ("default_transaction_read_only", "on"),
            ("statement_timeout", String(max(1, settings.statementTimeoutMs))),
            Self.standardConformingStrings,
        ]
    }

    /// `application_name` of the dataset's connections, so operators can find them in `pg_stat_activity`.
    public static func applicationName(_ datasetID: String) -> String {
        String("mcp-analytics:\(datasetID)".prefix(56))
    }

    var connectTimeout: Duration { .milliseconds(max(100, self.settings.connectTimeoutMs)) }

    /// Queries admitted right now, and callers waiting for a slot (for metrics and tests).
    public var activeQueries: Int { self.gate.inUse }
    public var waitingQueries: Int { self.gate.waiting }

    public func run() async {
        // PostgresClient.run() may only ever be called once.
        guard
            self.started.withLock({ started in
                defer { started = true }
                return !started
            })
        else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                self.running.open()
                await self.client.run()
            }
            group.addTask {
                for await _ in self.closeSignal {}
                guard !Task.isCancelled else { return }
                await self.gate.waitUntilIdle()
            }
            await group.next()
            group.cancelAll()
        }
    }

    public func close() {
        self.gate.close()
        self.closeContinuation.finish()
    }

    public func query(_ sql: String, binds: [JSONValue], maxRows: Int, timeout: Duration) async throws -> RawRows {
        try await self.execute(sql, binds: binds, maxRows: maxRows, timeout: timeout, mode: .capped)
    }

    public func estimatedRows(_ sql: String, binds: [JSONValue], timeout: Duration) async throws -> Double? {
        let plan = try await self.execute("EXPLAIN (FORMAT JSON) " + sql, binds: binds, maxRows: 1, timeout: timeout, mode: .direct)
        guard case .array(let plans)? = plan.rows.first?.first, let rows = plans.first?["Plan"]?["Plan Rows"] else {
            return nil
        }
        return rows.doubleValue
    }

    public func ping(timeout: Duration) async throws {
        let result: RawRows
        do {
            result = try await self.execute(
                "SELECT 1",
                binds: [],
                maxRows: 1,
                timeout: timeout,
                mode: .direct,
                leaseTimeout: min(timeout, self.connectTimeout)
            )
        } catch let error as AnalyticsError where error.code == .queryTimeout {
            throw self.translator.unavailable("it did not answer a health check within \(timeout.shortText)")
        }
        guard result.rows.first?.first == .int(1) else {
            throw self.translator.unavailable("it answered a health check unexpectedly")
        }
    }
}
