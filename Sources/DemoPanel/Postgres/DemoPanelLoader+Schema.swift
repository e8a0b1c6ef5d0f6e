import AnalyticsCore
import Logging
import PostgresNIO

extension DemoPanelLoader {
    /// Finds the target schema, refuses or drops existing demo tables, and creates bare tables.
    ///
    /// Only the current schema (the first valid one on `search_path`, where `CREATE TABLE` puts
    /// tables) is looked at, so a same-named table elsewhere on the path is never dropped.
    func prepareSchema(on connection: PostgresConnection, logger: Logger) async throws -> String {
        var schema: String?
        for try await name in try await connection.query("SELECT current_schema()", logger: logger).decode(String?.self) {
            schema = name
        }
        guard let schema else {
            throw AnalyticsError(
                .demoDataFailed,
                "No schema to create the demo tables in: the search_path names no existing schema.",
                hint: "Create a schema or fix search_path for this login."
            )
        }

        let names = DemoPanelSchema.tables.map(\.name)
        var existing: [String] = []
        let rows = try await connection.query(
            """
            SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = \(schema) AND c.relname = ANY(\(names)) ORDER BY c.relname
            """,
            logger: logger
        )
        for try await name in rows.decode(String.self) { existing.append(name) }

        if !existing.isEmpty {
            guard self.replaceExisting else {
                throw AnalyticsError(
                    .conflict,
                    "Schema \(schema) already has demo tables: \(existing.joined(separator: ", ")).",
                    hint: "Pass --replace to drop and reload them, or load into another database."
                )
            }
            logger.notice("replacing demo tables", metadata: ["mcpa.schema": "\(schema)", "mcpa.tables": "\(existing)"])
            // Referencing tables first; no CASCADE, so other people's views or keys on them stop the load.
            for table in DemoPanelSchema.tables.reversed() {
                let name = try SQLIdentifier.quote(qualified: [schema, table.name])
                try await connection.query(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(name)"), logger: logger)
            }
        }

        for table in DemoPanelSchema.tables {
            try await connection.query(PostgresQuery(unsafeSQL: try table.postgresCreateTable(schema: schema)), logger: logger)
        }
        return schema
    }

    /// Writes the data dictionary as `COMMENT ON TABLE/COLUMN`.
    ///
    /// `COMMENT ON` takes no bind parameters, so the statement is built server-side by a session-local
    /// helper function from bound values (`format` with `%I`/`%L` quotes them); no text is spliced
    /// into SQL on the client.
    func writeComments(schema: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            CREATE FUNCTION pg_temp.mcpa_demo_comment(schema_name text, table_name text, column_name text, description text)
            RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                IF column_name IS NULL THEN
                    EXECUTE format('COMMENT ON TABLE %I.%I IS %L', schema_name, table_name, description);
                ELSE
                    EXECUTE format('COMMENT ON COLUMN %I.%I.%I IS %L', schema_name, table_name, column_name, description);
                END IF;
            END
            $$
            """,
            logger: logger
        )
        for entry in DemoPanelSchema.dataDictionary {
            try await connection.query(
                "SELECT pg_temp.mcpa_demo_comment(\(schema), \(entry.table), \(entry.column), \(entry.description))",
                logger: logger
            )
        }
        try await connection.query("DROP FUNCTION pg_temp.mcpa_demo_comment(text, text, text, text)", logger: logger)
    }

    /// Streams rows into their table with `COPY … FROM STDIN` (text format); returns the row count.
    func copy<Rows: Sequence>(
        _ rows: Rows,
        on connection: PostgresConnection,
        logger: Logger,
        before previousRows: Int,
        progress: DemoPanelProgressHandler?
    ) async throws -> Int where Rows.Element: DemoCopyRow {
        let table = Rows.Element.table
        var count = 0
        try await connection.copyFrom(table: table.name, columns: table.columnNames, logger: logger) { writer in
            var data = DemoCopyBuffer(capacity: Self.copyChunkBytes + 4_096)
            for row in rows {
                row.encode(into: &data)
                count += 1
                if data.byteCount >= Self.copyChunkBytes {
                    try await writer.write(data.take())
                    progress?(DemoPanelProgress(phase: .loading, table: table.name, tableRows: count, totalRows: previousRows + count))
                }
            }
            if data.byteCount > 0 { try await writer.write(data.take()) }
        }
        progress?(DemoPanelProgress(phase: .loading, table: table.name, tableRows: count, totalRows: previousRows + count))
        return count
    }
}
