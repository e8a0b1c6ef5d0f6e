import AnalyticsCore
import Foundation
import Logging
import MetadataStore
import PostgresNIO

/// Access to the throwaway PostgreSQL server that `make test` starts.
///
/// Tests never skip PostgreSQL silently: without `MCPA_TEST_POSTGRES_URL` every PostgreSQL test
/// fails with a message saying how to run it. Each test gets its own database, so suites run in
/// parallel without seeing each other's rows.
public enum TestPostgres {
    public static let environmentKey = "MCPA_TEST_POSTGRES_URL"

    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "\(TestPostgres.environmentKey) is not set: run the tests with `make test`, which starts a throwaway PostgreSQL server."
        }
    }

    /// The superuser URL of the test server.
    public static func serverURL() throws -> ConnectionURL {
        guard let raw = ProcessInfo.processInfo.environment[environmentKey], !raw.isEmpty else {
            throw NotConfigured()
        }
        return try ConnectionURL(raw)
    }

    /// Creates a fresh, uniquely named database and returns a superuser URL for it.
    public static func createDatabase(prefix: String = "t") async throws -> TestDatabase {
        let server = try serverURL()
        let name = "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
        try await execute(["CREATE DATABASE \"\(name)\""], on: server)
        let url = try self.url(server, database: name)
        return TestDatabase(name: name, url: url, server: server)
    }

    /// `server` with its database path replaced by `database` (credentials and parameters kept).
    public static func url(_ server: ConnectionURL, database: String) throws -> ConnectionURL {
        guard var components = URLComponents(string: server.raw) else { throw NotConfigured() }
        components.path = "/" + database
        guard let raw = components.string else { throw NotConfigured() }
        return try ConnectionURL(raw)
    }

    /// Runs statements one by one on a single connection to `url`.
    public static func execute(_ statements: [String], on url: ConnectionURL) async throws {
        try await withConnection(to: url) { connection in
            for statement in statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        }
    }

    /// Opens one connection to `url`, runs `body`, closes it.
    public static func withConnection<T: Sendable>(
        to url: ConnectionURL,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let configuration = try PostgresConnection.Configuration(url: url)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    static let logger = Logger(label: "test.postgres")
}

/// A per-test database on the test server.
public struct TestDatabase: Sendable {
    public let name: String
    /// Superuser URL for this database.
    public let url: ConnectionURL
    let server: ConnectionURL

    /// Drops the database (terminating leftover connections first).
    public func drop() async {
        try? await TestPostgres.execute(
            [
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(self.name)' AND pid <> pg_backend_pid()",
                "DROP DATABASE IF EXISTS \"\(self.name)\"",
            ],
            on: self.server
        )
    }
}
