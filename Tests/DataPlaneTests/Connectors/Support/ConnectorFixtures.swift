import AnalyticsCore
import DataPlane
import Foundation
import Logging
import PostgresNIO
import Synchronization
import TestSupport
import Testing

/// Shared helpers for the connector tests: running connectors inside a task tree, building
/// datasets, talking to the test server directly, and checking coded errors.
enum ConnectorFixtures {
    static let logger = Logger(label: "test.connectors")

    static func settings(
        poolSize: Int = 2,
        maxConcurrentQueries: Int = 4,
        connectTimeoutMs: Int = 2_000,
        statementTimeoutMs: Int = 10_000
    ) -> DatasetSettings {
        DatasetSettings(
            poolSize: poolSize,
            maxConcurrentQueries: maxConcurrentQueries,
            connectTimeoutMs: connectTimeoutMs,
            statementTimeoutMs: statementTimeoutMs
        )
    }

    /// Runs `body` with a PostgreSQL connector whose pool runs in a child task; closes it afterwards.
    static func withPostgres<T>(
        _ url: ConnectionURL,
        datasetID: String = "pg_test",
        settings: DatasetSettings = settings(),
        _ body: (PostgresConnector) async throws -> T
    ) async throws -> T {
        let connector = try PostgresConnector(datasetID: datasetID, url: url, settings: settings, logger: self.logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
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

    /// Runs `body` with a registry whose `run()` is a child task; shuts it down afterwards.
    static func withRegistry<T>(
        secrets: @escaping ConnectorRegistry.SecretProvider,
        breaker: CircuitBreaker.Configuration = CircuitBreaker.Configuration(failureThreshold: 2, coolDown: .milliseconds(300)),
        _ body: (ConnectorRegistry) async throws -> T
    ) async throws -> T {
        let registry = ConnectorRegistry(secrets: secrets, breakerConfiguration: breaker, logger: self.logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await registry.run() }
            defer { group.cancelAll() }
            return try await body(registry)
        }
    }

    static func dataset(_ id: String, kind: ConnectionURL.Kind = .postgres, version: Int = 1, settings: DatasetSettings = settings()) -> Dataset {
        Dataset(
            id: id,
            name: id,
            state: .active,
            connectionKind: kind,
            redactedURL: "redacted",
            settings: settings,
            version: version,
            createdBy: "test"
        )
    }

    /// The rows of `sql` run directly on `url` (a superuser connection outside any connector).
    static func rows(_ sql: String, on url: ConnectionURL) async throws -> [PostgresRow] {
        try await TestPostgres.withConnection(to: url) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: self.logger).collect()
        }
    }

    static func int(_ sql: String, on url: ConnectionURL) async throws -> Int64 {
        let rows = try await self.rows(sql, on: url)
        return try rows.first?.decode(Int64.self) ?? -1
    }

    static func text(_ sql: String, on url: ConnectionURL) async throws -> String? {
        let rows = try await self.rows(sql, on: url)
        return try rows.first?.decode(String?.self)
    }

    /// A loopback port nothing listens on.
    static func closedPort() throws -> Int {
        let socket = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).wait()
        let port = socket.localAddress?.port ?? 1
        try socket.close().wait()
        return port
    }
}

/// Expects `body` to throw an `AnalyticsError` with `code`, and returns it for further checks.
@discardableResult
func expectError(
    _ code: ErrorCode,
    _ context: String = "",
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> AnalyticsError? {
    do {
        try await body()
        Issue.record("expected \(code.rawValue), but nothing was thrown \(context)", sourceLocation: sourceLocation)
        return nil
    } catch let error as AnalyticsError {
        #expect(error.code == code, "\(error) \(context)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected \(code.rawValue), got \(error) \(context)", sourceLocation: sourceLocation)
        return nil
    }
}

/// A value shared between a test and its child tasks.
final class TestBox<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) {
        self.mutex = Mutex(value)
    }

    var value: Value { self.mutex.withLock { $0 } }

    func set(_ value: Value) {
        self.mutex.withLock { $0 = value }
    }
}

/// A fresh database on the test server with a superuser URL for it.
struct ScratchDatabase: Sendable {
    var name: String
    var url: ConnectionURL
}

extension ConnectorFixtures {
    /// Runs `body` with a fresh database on the test server and drops it afterwards.
    static func withDatabase<T>(_ body: (ScratchDatabase) async throws -> T) async throws -> T {
        let database = try await TestPostgres.createDatabase()
        // Built from the server URL's parts: only the path names the database.
        let server = try TestPostgres.serverURL()
        let url = try self.url(server, database: database.name)
        do {
            let result = try await body(ScratchDatabase(name: database.name, url: url))
            await database.drop()
            return result
        } catch {
            await database.drop()
            throw error
        }
    }

    /// `server` pointed at another database (and optionally another login).
    static func url(_ server: ConnectionURL, database: String, user: String? = nil, password: String? = nil) throws -> ConnectionURL {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = user ?? server.user
        components.password = password ?? server.password
        components.host = server.host
        components.port = server.port
        components.path = "/" + database
        components.queryItems = server.parameters.isEmpty ? nil : server.parameters.map { URLQueryItem(name: $0.key, value: $0.value) }
        guard let raw = components.string else { throw AnalyticsError.invalidRequest("could not build a test database URL") }
        return try ConnectionURL(raw)
    }
}
