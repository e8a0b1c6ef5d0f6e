import AnalyticsCore
import ControlPlane
import DataPlane
import DemoPanel
import Foundation
import GRDB
import Logging
import TestSupport
import Testing

/// A real dataset database under test: a PostgreSQL database or a SQLite file, a running read-only
/// connector on it, and an owner's way in to change it (DDL, bulk inserts) behind the connector's back.
struct TestDataset: Sendable {
    let backend: StoreBackend
    let connector: any DatasetConnector
    /// `postgres://…` (superuser) or the SQLite file path.
    let location: String

    /// Runs statements as the owner, one by one, outside the connector.
    func execute(_ statements: [String]) async throws {
        switch self.backend {
        case .postgres:
            try await TestPostgres.execute(statements, on: try ConnectionURL(self.location))
        case .sqlite:
            try await ProfilingFixtures.executeSQLite(statements, path: self.location)
        }
    }

    /// Rows of a query the test computes directly (through the same read-only connector, with SQL
    /// the test writes itself), as dictionaries.
    func rows(_ sql: String, maxRows: Int = 1_000_000) async throws -> [[String: JSONValue]] {
        let result = try await self.connector.query(sql, binds: [], maxRows: maxRows, timeout: .seconds(60))
        return result.rows.map { row in Dictionary(uniqueKeysWithValues: zip(result.columns.map(\.name), row)) }
    }

    func value(_ sql: String) async throws -> JSONValue? {
        try await self.rows(sql, maxRows: 1).first?.values.first
    }
}

enum ProfilingFixtures {
    static let logger: Logger = {
        var logger = Logger(label: "test.profiling")
        logger.logLevel = ProcessInfo.processInfo.environment["MCPA_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return logger
    }()

    static let endDay: DemoDay = {
        guard let day = try? DemoDay(year: 2025, month: 6, day: 30) else { fatalError("fixture date") }
        return day
    }()

    /// A small demo panel: scale 0.2 is 400 respondents, ~41,000 viewing events and ~8,000 purchases.
    static func spec(scale: Double = 0.2) -> DemoPanelSpec {
        DemoPanelSpec(seed: 11, scale: scale, endDay: self.endDay)
    }

    /// A generous connect timeout: the suites share one PostgreSQL server and a loaded machine.
    static let settings = DatasetSettings(poolSize: 2, maxConcurrentQueries: 4, connectTimeoutMs: 30_000, statementTimeoutMs: 60_000)

    /// An empty dataset database of `backend`, with `setup` statements run as its owner first.
    static func withDataset<T: Sendable>(
        _ backend: StoreBackend,
        datasetID: String = "panel",
        demoScale: Double? = nil,
        setup: [String] = [],
        _ body: (TestDataset) async throws -> T
    ) async throws -> T {
        switch backend {
        case .postgres:
            let database = try await TestPostgres.createDatabase(prefix: "prof")
            do {
                if let demoScale {
                    try await DemoPanelLoader(spec: self.spec(scale: demoScale), logger: self.logger).load(into: database.url)
                }
                if !setup.isEmpty { try await TestPostgres.execute(setup, on: database.url) }
                let connector = try PostgresConnector(datasetID: datasetID, url: database.url, settings: self.settings, logger: self.logger)
                let result = try await self.running(connector) { connector in
                    try await body(TestDataset(backend: .postgres, connector: connector, location: database.url.raw))
                }
                await database.drop()
                return result
            } catch {
                await database.drop()
                throw error
            }
        case .sqlite:
            let directory = try TemporaryDirectory(prefix: "mcpa-profile")
            defer { directory.remove() }
            let path = directory.file("dataset.sqlite")
            if let demoScale {
                try DemoPanelWriter(spec: self.spec(scale: demoScale), logger: self.logger).write(to: path)
            } else {
                try DatabaseQueue(path: path).close()
            }
            if !setup.isEmpty { try await self.executeSQLite(setup, path: path) }
            let connector = SQLiteConnector(datasetID: datasetID, path: path, settings: self.settings, logger: self.logger)
            return try await self.running(connector) { connector in
                try await body(TestDataset(backend: .sqlite, connector: connector, location: path))
            }
        }
    }

    /// Runs statements on a SQLite file with a writable connection of its own.
    static func executeSQLite(_ statements: [String], path: String) async throws {
        // Like most SQLite producers, without foreign-key enforcement (orphans are what some tests need).
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try await queue.write { db in
            for statement in statements { try db.execute(sql: statement) }
        }
        try queue.close()
    }

    /// Runs a connector's background work as a child task for the duration of `body`.
    static func running<C: ManagedDatasetConnector, T: Sendable>(_ connector: C, _ body: (C) async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await connector.run() }
            do {
                let result = try await body(connector)
                connector.close()
                try await group.waitForAll()
                return result
            } catch {
                connector.close()
                try? await group.waitForAll()
                throw error
            }
        }
    }

    /// Profiles with the given configuration.
    static func profile(_ dataset: TestDataset, _ configuration: ProfilerConfiguration = ProfilerConfiguration()) async throws -> DatasetProfile {
        try await DatasetProfiler(configuration: configuration, logger: self.logger).profile(dataset.connector)
    }
}

/// Lends one fixed, already running connector (the tests' stand-in for the server's registry).
struct FixedConnectorProvider: DatasetConnectorProvider {
    let connector: any DatasetConnector

    func withConnector<T: Sendable>(for dataset: Dataset, _ body: (any DatasetConnector) async throws -> T) async throws -> T {
        try await body(self.connector)
    }
}

/// Expects `body` to throw an `AnalyticsError` with `code`.
@discardableResult
func expectError<T>(_ code: ErrorCode, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> T) async -> AnalyticsError? {
    do {
        _ = try await body()
        Issue.record("Expected \(code.rawValue), but the call succeeded.", sourceLocation: sourceLocation)
        return nil
    } catch let error as AnalyticsError {
        #expect(error.code == code, "got \(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("Expected \(code.rawValue), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

extension JSONValue {
    /// Text of a string or number value.
    var text: String? {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .number(let n): n
        case .double(let d): String(d)
        default: nil
        }
    }
}
