import AnalyticsCore
import Foundation
import GRDB
import Logging
import ServiceLifecycle

/// The metadata store in one SQLite file, for laptops, demos and single-process deployments.
///
/// It opens a GRDB `DatabasePool` in WAL mode with a busy timeout, so readers never block the writer
/// and several processes (a server and a CLI command, or two servers) can share one file: every
/// write runs in an `IMMEDIATE` transaction, which takes the file's write lock up front and waits for
/// it instead of failing half-way. Change events reach other processes by polling (see ``ChangeFeed``).
public final class SQLiteMetadataStore: MetadataStore {
    public var backend: String { "sqlite" }
    /// The database file.
    public let path: String
    let pool: DatabasePool
    let logger: Logger

    /// Opens (creating if needed) the database file and its parent directory. Call ``migrate()``
    /// before first use.
    ///
    /// - Parameter busyTimeout: how long a write waits for another process's write lock.
    public init(path: String, logger: Logger, busyTimeout: TimeInterval = 10) throws {
        self.path = path
        var logger = logger
        logger[metadataKey: "mcpa.store"] = "sqlite"
        self.logger = logger
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            logger.error("Cannot create the store directory.", metadata: ["mcpa.store.path": "\(directory.path)"])
            throw AnalyticsError(
                .storeUnavailable,
                "Cannot create the directory for the SQLite store at '\(directory.path)'.",
                hint: "Check the path and the permissions of its parent directory."
            )
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "mcpa.registry"
        do {
            self.pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreFailure.map(error, operation: "open", logger: logger)
        }
    }

    /// Waits for graceful shutdown: the pool needs no background work, but the store is a `Service`
    /// like its PostgreSQL sibling so both are wired up the same way.
    public func run() async throws {
        do {
            try await gracefulShutdown()
        } catch is CancellationError {
            return
        }
    }

    public func ping() async throws {
        _ = try await self.read("ping") { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func migrate() async throws -> [String] {
        var applied: [String] = []
        for migration in SQLiteMigrations.all {
            let didApply = try await self.write("migrate") { db -> Bool in
                try db.execute(
                    sql: "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY NOT NULL, applied_at TEXT NOT NULL)"
                )
                let done = try Bool.fetchOne(
                    db,
                    sql: "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE name = ?)",
                    arguments: [migration.name]
                )
                if done == true { return false }
                for statement in migration.statements {
                    try db.execute(sql: statement)
                }
                try db.execute(
                    sql: "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                    arguments: [migration.name, StoreTimestamp.now().sqliteText]
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
        try await self.read("applied migrations") { db in
            guard try db.tableExists("schema_migrations") else { return [] }
            return try String.fetchAll(db, sql: "SELECT name FROM schema_migrations ORDER BY name")
        }
    }

    /// Runs `body` in an `IMMEDIATE` transaction: committed if it returns, rolled back if it throws.
    func write<T: Sendable>(_ operation: String, _ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await self.pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw StoreFailure.unavailable(operation) }
                return result
            }
        } catch {
            throw StoreFailure.map(error, operation: operation, logger: self.logger)
        }
    }

    /// Runs `body` on a read-only snapshot.
    func read<T: Sendable>(_ operation: String, _ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await self.pool.read(body)
        } catch {
            throw StoreFailure.map(error, operation: operation, logger: self.logger)
        }
    }
}
