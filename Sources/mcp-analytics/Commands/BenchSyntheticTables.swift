import AnalyticsCore
import Benchmarks
import Logging
import PostgresNIO

/// Synthetic event tables for `bench profile`: the shape of the demo panel's `tv_viewing` (keys,
/// low-cardinality text, a timestamp, skewed integers, decimals), generated in the database with
/// `generate_series` and a seeded `random()`, so a size is built in one statement.
struct BenchSyntheticTables {
    let url: ConnectionURL
    let schema: String
    let logger: Logger

    static func tableName(rows: Int64) -> String { "events_\(rows)" }

    /// Creates the schema and any table of `sizes` that is missing or has the wrong size.
    func ensure(sizes: [Int64], rebuild: Bool, report: (String) -> Void) async throws {
        do {
            try await self.build(sizes: sizes, rebuild: rebuild, report: report)
        } catch let error as PSQLError {
            // The server's own words help here ("permission denied for database …"); the URL never appears.
            throw AnalyticsError(
                .connectionFailed,
                "Could not build the benchmark tables: \(error.serverInfo?[.message] ?? "the server could not be reached").",
                hint: "Use a login that may create schemas and tables in this database."
            )
        }
    }

    private func build(sizes: [Int64], rebuild: Bool, report: (String) -> Void) async throws {
        let configuration = try PostgresConnection.Configuration(url: self.url)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: self.logger)
        do {
            let schema = try SQLIdentifier.quote(self.schema)
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: self.logger)
            for rows in sizes {
                let name = Self.tableName(rows: rows)
                let table = try SQLIdentifier.quote(qualified: [self.schema, name])
                if !rebuild, try await self.count(table: name, on: connection) == rows {
                    report("reusing \(self.schema).\(name)")
                    continue
                }
                report("building \(self.schema).\(name) (\(rows) rows)…")
                try await connection.query(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(table)"), logger: self.logger)
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: """
                            CREATE TABLE \(table) (
                                event_id bigint NOT NULL, respondent_id integer NOT NULL, channel text NOT NULL, genre text NOT NULL,
                                start_time timestamp NOT NULL, minutes integer NOT NULL, amount numeric(10,2)
                            )
                            """
                    ),
                    logger: self.logger
                )
                try await connection.query("SELECT setseed(0.42)", logger: self.logger)
                var binds = PostgresBindings()
                binds.append(rows)
                binds.append(max(1, rows / 100))
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: """
                            INSERT INTO \(table)
                            SELECT g, 1 + floor(random() * $2)::int,
                                   'Channel ' || (1 + floor(random() * 28)::int),
                                   (ARRAY['Sports','News','Movies','Drama','Kids','Music','Reality','Devotional'])[1 + floor(random() * 8)::int],
                                   timestamp '2024-01-01' + random() * interval '450 days',
                                   1 + floor(-ln(1 - random()) * 40)::int,
                                   CASE WHEN random() < 0.05 THEN NULL ELSE round((random() * random() * 2000)::numeric, 2) END
                            FROM generate_series(1::bigint, $1) AS g
                            """,
                        binds: binds
                    ),
                    logger: self.logger
                )
                try await connection.query(PostgresQuery(unsafeSQL: "ALTER TABLE \(table) ADD PRIMARY KEY (event_id)"), logger: self.logger)
                try await connection.query(PostgresQuery(unsafeSQL: "ANALYZE \(table)"), logger: self.logger)
            }
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Drops the benchmark schema and its tables.
    func drop() async throws {
        let configuration = try PostgresConnection.Configuration(url: self.url)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: self.logger)
        do {
            let schema = try SQLIdentifier.quote(self.schema)
            try await connection.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE"), logger: self.logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private func count(table: String, on connection: PostgresConnection) async throws -> Int64? {
        let exists = try await connection.query(
            "SELECT to_regclass(format('%I.%I', \(self.schema), \(table))) IS NOT NULL",
            logger: self.logger
        )
        var present = false
        for try await value in exists.decode(Bool.self) { present = value }
        guard present else { return nil }
        let quoted = try SQLIdentifier.quote(qualified: [self.schema, table])
        for try await value in try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(quoted)"), logger: self.logger).decode(
            Int64.self
        ) {
            return value
        }
        return nil
    }
}
