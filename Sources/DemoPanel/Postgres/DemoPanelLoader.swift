import AnalyticsCore
import Logging
import MetadataStore
import PostgresNIO

/// Loads the demo panel of a ``DemoPanelSpec`` into a PostgreSQL database (`mcp-analytics demo-data`).
///
/// Everything happens in one transaction on one connection: create bare tables, stream rows with
/// `COPY … FROM STDIN`, then add keys and indexes (faster than maintaining them row by row), write the
/// data dictionary as `COMMENT ON`, and `ANALYZE`. A failed load leaves the database as it was, and a
/// replacing load swaps the old tables for the new ones atomically at commit.
///
/// The login needs to create tables in the current schema (an owner or superuser URL).
public struct DemoPanelLoader: Sendable {
    public var spec: DemoPanelSpec
    /// Drop and rebuild existing demo tables instead of failing with `CONFLICT`.
    public var replaceExisting: Bool
    public var logger: Logger

    /// Bytes of `COPY` data per message sent to the server (and per progress report).
    static let copyChunkBytes = 1 << 20

    public init(spec: DemoPanelSpec = DemoPanelSpec(), replaceExisting: Bool = false, logger: Logger) {
        self.spec = spec
        self.replaceExisting = replaceExisting
        self.logger = logger
    }

    /// Loads the panel into the database at `url` and returns the rows written per table.
    ///
    /// Errors: `INVALID_REQUEST` (bad spec), `INVALID_CONNECTION_URL` (not a usable `postgres://` URL),
    /// `CONNECTION_FAILED` (unreachable, login refused), `CONFLICT` (tables exist and
    /// ``replaceExisting`` is off), `DEMO_DATA_FAILED` (the server refused a step, e.g. permissions).
    @discardableResult
    public func load(into url: ConnectionURL, progress: DemoPanelProgressHandler? = nil) async throws -> DemoPanelCounts {
        let generator = try DemoPanelGenerator(spec: self.spec)
        guard url.kind == .postgres else {
            throw AnalyticsError(
                .invalidConnectionURL,
                "The demo panel loads into PostgreSQL; \(url.redacted) is not a postgres:// URL.",
                hint: "Example: postgres://owner:secret@localhost:5432/panel"
            )
        }
        let configuration = try PostgresConnection.Configuration(url: url)
        var logger = self.logger
        logger[metadataKey: "mcpa.target"] = "\(url.redacted)"

        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            logger.error("demo panel load: connection failed", metadata: ["mcpa.error": "\(String(reflecting: error))"])
            throw Self.connectionFailed(error, url: url)
        }

        let started = ContinuousClock.now
        do {
            let counts = try await self.load(generator, on: connection, logger: logger, progress: progress)
            try? await connection.close()
            logger.info(
                "demo panel loaded",
                metadata: ["mcpa.demo.counts": "\(counts)", "mcpa.elapsed": "\(ContinuousClock.now - started)"]
            )
            return counts
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            try? await connection.close()
            if let error = error as? AnalyticsError { throw error }
            if error is CancellationError { throw error }
            logger.error("demo panel load failed", metadata: ["mcpa.error": "\(String(reflecting: error))"])
            throw Self.loadFailed(error)
        }
    }

    private func load(
        _ generator: DemoPanelGenerator,
        on connection: PostgresConnection,
        logger: Logger,
        progress: DemoPanelProgressHandler?
    ) async throws -> DemoPanelCounts {
        try await connection.query("BEGIN", logger: logger)
        // The load is all-or-nothing anyway; these only make it faster.
        try await connection.query("SET LOCAL synchronous_commit = off", logger: logger)
        try await connection.query("SET LOCAL maintenance_work_mem = '256MB'", logger: logger)

        progress?(DemoPanelProgress(phase: .creatingSchema))
        let schema = try await self.prepareSchema(on: connection, logger: logger)

        var counts = DemoPanelCounts()
        counts.respondents = try await self.copy(generator.respondents(), on: connection, logger: logger, before: 0, progress: progress)
        counts.viewingEvents = try await self.copy(
            generator.viewingEvents(),
            on: connection,
            logger: logger,
            before: counts.total,
            progress: progress
        )
        counts.purchases = try await self.copy(generator.purchases(), on: connection, logger: logger, before: counts.total, progress: progress)

        progress?(DemoPanelProgress(phase: .indexing, totalRows: counts.total))
        for table in DemoPanelSchema.tables {
            for statement in try table.postgresConstraintsAndIndexes(schema: schema) {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        }

        progress?(DemoPanelProgress(phase: .documenting, totalRows: counts.total))
        try await self.writeComments(schema: schema, on: connection, logger: logger)

        progress?(DemoPanelProgress(phase: .analyzing, totalRows: counts.total))
        for table in DemoPanelSchema.tables {
            let name = try SQLIdentifier.quote(qualified: [schema, table.name])
            try await connection.query(PostgresQuery(unsafeSQL: "ANALYZE \(name)"), logger: logger)
        }
        try await connection.query("COMMIT", logger: logger)
        progress?(DemoPanelProgress(phase: .finished, totalRows: counts.total))
        return counts
    }
}
