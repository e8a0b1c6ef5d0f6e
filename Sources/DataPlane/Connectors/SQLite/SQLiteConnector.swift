import AnalyticsCore
import Foundation
import GRDB
import GRDBSQLite
import Logging

/// A read-only connection pool to one SQLite dataset file (GRDB `DatabasePool`).
///
/// Layers that keep a caller's statement from changing anything: the file is opened read-only;
/// attaching other databases is impossible (`SQLITE_LIMIT_ATTACHED` is 0, which also stops
/// `VACUUM INTO`); `trusted_schema` is off; the ``SQLiteReadPolicy`` authorizer denies every
/// non-read action while the statement is prepared and run; and a statement for which
/// `sqlite3_stmt_readonly` is false is refused before it steps.
///
/// A statement that outlives its timeout is interrupted (`sqlite3_interrupt` on its own
/// connection, see ``SQLiteInterruptHandle``) and answers `QUERY_TIMEOUT`; rows are stepped one
/// at a time and reading stops at `maxRows + 1`. PostgreSQL functions analysts' SQL relies on are
/// registered on every connection (``SQLiteCompatibilityFunctions``). Binds use `$1…`.
public final class SQLiteConnector: ManagedDatasetConnector {
    public let datasetID: String
    public var kind: ConnectionURL.Kind { .sqlite }
    public let path: String
    public let settings: DatasetSettings

    let gate: ConcurrencyGate
    let logger: Logger
    private let pool = LockedBox<DatabasePool?>(nil)
    private let policies = LockedBox<[UInt: SQLiteReadPolicy]>([:])
    private let closeSignal: AsyncStream<Never>
    private let closeContinuation: AsyncStream<Never>.Continuation

    public init(datasetID: String, path: String, settings: DatasetSettings, logger: Logger) {
        var logger = logger
        logger[metadataKey: "mcpa.dataset"] = "\(datasetID)"
        self.datasetID = datasetID
        self.path = path
        self.settings = settings
        self.logger = logger
        self.gate = ConcurrencyGate(limit: min(max(1, settings.maxConcurrentQueries), max(1, settings.poolSize)))
        (self.closeSignal, self.closeContinuation) = AsyncStream<Never>.makeStream()
    }

    public convenience init(datasetID: String, url: ConnectionURL, settings: DatasetSettings, logger: Logger) throws {
        guard url.kind == .sqlite, let path = url.path else {
            throw AnalyticsError(.invalidConnectionURL, "A SQLite dataset needs a sqlite: URL with a file path.")
        }
        self.init(datasetID: datasetID, path: path, settings: settings, logger: logger)
    }

    public func run() async {
        for await _ in self.closeSignal {}
        guard !Task.isCancelled else { return }
        await self.gate.waitUntilIdle()
        let pool = self.pool.withLock { pool -> DatabasePool? in
            defer { pool = nil }
            return pool
        }
        try? pool?.close()
    }

    public func close() {
        self.gate.close()
        self.closeContinuation.finish()
    }

    public func query(_ sql: String, binds: [JSONValue], maxRows: Int, timeout: Duration) async throws -> RawRows {
        guard maxRows >= 0 else { throw AnalyticsError.invalidRequest("maxRows must not be negative, got \(maxRows).") }
        guard timeout > .zero else { throw AnalyticsError.invalidRequest("The query timeout must be positive.") }
        do {
            try await self.gate.acquire()
        } catch is CancellationError {
            throw self.cancelled()
        } catch {
            throw self.unavailable("its connector was closed")
        }
        defer { self.gate.release() }
        let pool = try self.openPool()
        let handle = SQLiteInterruptHandle()
        do {
            return try await withThrowingTaskGroup(of: RawRows?.self) { group in
                group.addTask {
                    try await withTaskCancellationHandler {
                        try await self.read(pool, handle: handle, sql: sql, binds: binds, maxRows: maxRows)
                    } onCancel: {
                        handle.interrupt(.cancelled)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    handle.interrupt(.timeout)
                    return nil
                }
                while let next = try await group.next() {
                    if let next {
                        group.cancelAll()
                        return next
                    }
                }
                throw CancellationError()
            }
        } catch {
            switch handle.reason {
            case .timeout:
                throw AnalyticsError(
                    .queryTimeout,
                    "The query ran longer than its \(timeout.shortText) limit and was stopped.",
                    hint: "Narrow it down (filters, aggregation, fewer joins) so it finishes in time."
                )
            case .cancelled:
                throw self.cancelled()
            case nil:
                if let error = error as? AnalyticsError { throw error }
                if error is CancellationError { throw self.cancelled() }
                self.logger.info("sqlite dataset query failed", metadata: ["mcpa.error": "\(String(describing: error))"])
                throw self.unavailable("its file could not be read")
            }
        }
    }

    /// Runs the statement on a pooled reader inside GRDB's read transaction. GRDB's callback API
    /// is used on purpose: it does not react to task cancellation (see ``SQLiteInterruptHandle``).
    private func read(_ pool: DatabasePool, handle: SQLiteInterruptHandle, sql: String, binds: [JSONValue], maxRows: Int) async throws -> RawRows {
        let policies = self.policies
        return try await withCheckedThrowingContinuation { continuation in
            pool.asyncRead { result in
                do {
                    let db = try result.get()
                    guard let connection = db.sqliteConnection, let policy = policies.value[Self.key(db)] else {
                        throw SQLiteStatementRunner.Interrupted()
                    }
                    try handle.begin(on: connection)
                    defer { handle.end() }
                    continuation.resume(returning: try SQLiteStatementRunner(policy: policy).run(db, sql: sql, binds: binds, maxRows: maxRows))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// SQLite plans are not row estimates PostgreSQL callers could compare with; no estimate.
    public func estimatedRows(_ sql: String, binds: [JSONValue], timeout: Duration) async throws -> Double? {
        nil
    }

    public func ping(timeout: Duration) async throws {
        let result = try await self.query("SELECT count(*) FROM sqlite_master", binds: [], maxRows: 1, timeout: timeout)
        guard result.rows.count == 1 else { throw self.unavailable("it answered a health check unexpectedly") }
    }

    /// A SQLite file has no logins; nothing to audit.
    public func auditCredentials() async throws -> [String] {
        []
    }

    // MARK: - Pool

    private func openPool() throws -> DatabasePool {
        try self.pool.withLock { pool -> Result<DatabasePool, AnalyticsError> in
            if let pool { return .success(pool) }
            guard FileManager.default.fileExists(atPath: self.path) else {
                return .failure(self.unavailable("its file does not exist"))
            }
            do {
                let opened = try DatabasePool(path: self.path, configuration: self.configuration())
                pool = opened
                return .success(opened)
            } catch {
                self.logger.warning("could not open sqlite dataset", metadata: ["mcpa.error": "\(String(describing: error))"])
                return .failure(self.unavailable("its file could not be opened as a SQLite database"))
            }
        }.get()
    }

    private func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.foreignKeysEnabled = false
        configuration.maximumReaderCount = max(1, self.settings.poolSize)
        configuration.busyMode = .timeout(Double(max(100, self.settings.connectTimeoutMs)) / 1000)
        configuration.label = "mcpa.dataset.\(self.datasetID)"
        let policies = self.policies
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA trusted_schema = OFF")
            sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_ATTACHED, 0)
            SQLiteCompatibilityFunctions.register(on: db)
            let policy = SQLiteReadPolicy()
            policy.install(on: db)
            policies.withLock { $0[Self.key(db)] = policy }
        }
        return configuration
    }

    private static func key(_ db: Database) -> UInt {
        UInt(bitPattern: db.sqliteConnection.map { Int(bitPattern: $0) } ?? 0)
    }

    private func cancelled() -> AnalyticsError {
        AnalyticsError(.queryCancelled, "The query was cancelled before it finished.", hint: "Run it again if the answer is still needed.")
    }

    private func unavailable(_ reason: String) -> AnalyticsError {
        AnalyticsError(
            .datasetUnavailable,
            "Dataset '\(self.datasetID)' is unavailable: \(reason).",
            hint: "Retry shortly; if it persists, an operator should check the dataset's file."
        )
    }
}
