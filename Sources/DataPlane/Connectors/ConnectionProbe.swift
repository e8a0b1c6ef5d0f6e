import AnalyticsCore
import Foundation
import GRDB
import Logging
import MetadataStore
import NIOCore
import PostgresNIO

/// Checks that a dataset's connection URL reaches a database before the dataset is registered.
///
/// Registration fails fast with a clear reason (unreachable, authentication failed, no such
/// database, not a SQLite file) instead of storing a dataset that can never answer. The reason never
/// repeats driver text, which could echo connection details.
public struct ConnectionProbe: Sendable {
    public var timeout: Duration
    let logger: Logger

    public init(timeout: Duration = .seconds(5), logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    /// Connects, audits the login and disconnects; throws `CONNECTION_FAILED` with a safe reason.
    ///
    /// - Returns: warnings about what the login could do beyond reading (a superuser, write or
    ///   create privileges), to be stored on the dataset and shown wherever it is described.
    @discardableResult
    public func check(_ url: ConnectionURL) async throws -> [String] {
        switch url.kind {
        case .postgres: return try await self.checkPostgres(url)
        case .sqlite:
            try self.checkSQLite(url)
            return []
        }
    }

    func checkPostgres(_ url: ConnectionURL) async throws -> [String] {
        var mutableConfiguration = try PostgresConnection.Configuration(url: url)
        mutableConfiguration.options.connectTimeout = .seconds(max(1, self.timeout.components.seconds))
        let configuration = mutableConfiguration
        let logger = self.logger
        do {
            let report = try await withTimeout(self.timeout) {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                do {
                    var text: String?
                    let rows = try await connection.query(PostgresQuery(unsafeSQL: Self.auditQuery), logger: logger)
                    for try await row in rows { text = try row.decode(String?.self) }
                    try? await connection.close()
                    return text
                } catch {
                    try? await connection.close()
                    throw error
                }
            }
            let warnings = report.flatMap { try? JSONValue.parse($0) }.map(PostgresConnector.auditWarnings) ?? []
            if !warnings.isEmpty {
                self.logger.warning(
                    "dataset login can do more than read",
                    metadata: ["mcpa.url": "\(url.redacted)", "mcpa.audit": "\(warnings.joined(separator: " | "))"]
                )
            }
            return warnings
        } catch let error as PSQLError {
            self.logger.info(
                "dataset connection probe failed",
                metadata: ["mcpa.url": "\(url.redacted)", "mcpa.error.code": "\(error.code)"]
            )
            throw Self.failure(url, reason: Self.reason(for: error))
        } catch is TimeoutError {
            throw Self.failure(url, reason: "no answer within \(self.timeout)")
        } catch {
            self.logger.info("dataset connection probe failed", metadata: ["mcpa.url": "\(url.redacted)"])
            throw Self.failure(url, reason: "the server could not be reached")
        }
    }

    /// The connector's credential audit as one text column.
    static let auditQuery = "SELECT (" + PostgresConnector.auditSQL + ")::text"

    func checkSQLite(_ url: ConnectionURL) throws {
        guard let path = url.path, FileManager.default.fileExists(atPath: path) else {
            throw Self.failure(url, reason: "the file does not exist")
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            _ = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
            try queue.close()
        } catch {
            throw Self.failure(url, reason: "the file is not a readable SQLite database")
        }
    }

    static func reason(for error: PSQLError) -> String {
        if let state = error.serverInfo?[.sqlState] {
            switch state {
            case "28P01", "28000": return "authentication failed"
            case "3D000": return "the database does not exist"
            case "53300": return "the server has too many connections"
            case "57P03": return "the server is starting up or shutting down"
            default: return "the server refused the connection (SQLSTATE \(state))"
            }
        }
        switch error.code {
        case .sslUnsupported: return "the server does not support TLS but the URL requires it"
        case .authMechanismRequiresPassword: return "the server requires a password"
        case .unsupportedAuthMechanism: return "the server asked for an unsupported authentication method"
        default: return "the server could not be reached"
        }
    }

    static func failure(_ url: ConnectionURL, reason: String) -> AnalyticsError {
        AnalyticsError(
            .connectionFailed,
            "Could not connect to \(url.redacted): \(reason).",
            hint: "Check host, port, database name and credentials, and that this server may reach the database."
        )
    }
}
