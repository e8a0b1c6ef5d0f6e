import AnalyticsCore

/// Reads tables, views, columns, keys and comments from PostgreSQL's catalogue (`pg_class`,
/// `pg_attribute`, `pg_constraint`, `obj_description`): three statements however many tables.
struct PostgresCatalogReader: Sendable {
    let queries: ProfilingQueries

    func tables(schemas: [String]?) async throws -> [CatalogTable] {
        let schemaFilter: JSONValue = schemas.map { .array($0.map(JSONValue.string)) } ?? .null
        let relations = try await self.queries.rows(
            """
            SELECT c.oid::int8 AS oid, n.nspname AS schema_name, c.relname AS table_name, c.relkind::text AS relkind,
                   obj_description(c.oid, 'pg_class') AS comment, c.reltuples::float8 AS reltuples
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
              AND NOT c.relispartition
              AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
              AND ($1::jsonb IS NULL OR n.nspname IN (SELECT jsonb_array_elements_text($1::jsonb)))
              AND has_table_privilege(c.oid, 'SELECT')
            ORDER BY n.nspname, c.relname
            """,
            [schemaFilter],
            maxRows: 100_000
        )
        guard !relations.isEmpty else { return [] }
        let oids = JSONValue.array(relations.compactMap { $0["oid"] })
        let columns = try await self.columns(oids: oids)
        let constraints = try await self.constraints(oids: oids)

        return relations.compactMap { relation -> CatalogTable? in
            guard let oid = relation["oid"]?.intValue, let schema = relation["schema_name"]?.stringValue,
                let name = relation["table_name"]?.stringValue, let relkind = relation["relkind"]?.stringValue
            else { return nil }
            let kind: TableProfile.Kind =
                switch relkind {
                case "v": .view
                case "m": .materializedView
                default: .table
                }
            let reltuples = relation["reltuples"]?.doubleValue
            return CatalogTable(
                schema: schema,
                name: name,
                kind: kind,
                comment: relation["comment"]?.stringValue,
                columns: columns[oid] ?? [],
                primaryKey: constraints.primaryKeys[oid] ?? [],
                foreignKeys: constraints.foreignKeys[oid] ?? [],
                access: ["r", "p", "m"].contains(relkind) ? .pages : .scan,
                catalogueRows: reltuples.flatMap { $0 >= 0 ? $0 : nil }
            )
        }
    }

    private func columns(oids: JSONValue) async throws -> [Int64: [CatalogTable.Column]] {
        let rows = try await self.queries.rows(
            """
            SELECT a.attrelid::int8 AS oid, a.attname AS column_name,
                   format_type(a.atttypid, a.atttypmod) AS type_name,
                   format_type(COALESCE(NULLIF(t.typbasetype, 0), a.atttypid), NULL) AS base_type,
                   t.typcategory::text AS category, NOT a.attnotnull AS nullable,
                   col_description(a.attrelid, a.attnum) AS comment,
                   (SELECT s.n_distinct::float8 FROM pg_catalog.pg_stats s
                     WHERE s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = a.attname
                     ORDER BY s.inherited LIMIT 1) AS n_distinct
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE a.attrelid IN (SELECT jsonb_array_elements_text($1::jsonb)::oid)
              AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attrelid, a.attnum
            """,
            [oids],
            maxRows: 1_000_000
        )
        var columns: [Int64: [CatalogTable.Column]] = [:]
        for row in rows {
            guard let oid = row["oid"]?.intValue, let name = row["column_name"]?.stringValue,
                let type = row["type_name"]?.stringValue
            else { continue }
            let kind = ColumnKind.postgres(
                typeName: row["base_type"]?.stringValue ?? type,
                category: row["category"]?.stringValue ?? ""
            )
            columns[oid, default: []].append(
                CatalogTable.Column(
                    name: name,
                    type: type,
                    kind: kind,
                    nullable: row["nullable"]?.boolValue ?? true,
                    comment: row["comment"]?.stringValue,
                    catalogueDistinct: row["n_distinct"]?.doubleValue
                )
            )
        }
        return columns
    }

    private func constraints(oids: JSONValue) async throws -> (primaryKeys: [Int64: [String]], foreignKeys: [Int64: [ForeignKey]]) {
        let rows = try await self.queries.rows(
            """
            SELECT con.conrelid::int8 AS oid, con.contype::text AS contype, con.conname AS name,
                   (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
                   fn.nspname AS ref_schema, fc.relname AS ref_table,
                   (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS ref_columns
            FROM pg_catalog.pg_constraint con
            LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
            LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
            WHERE con.contype IN ('p', 'f')
              AND con.conrelid IN (SELECT jsonb_array_elements_text($1::jsonb)::oid)
            ORDER BY con.conrelid, con.conname
            """,
            [oids],
            maxRows: 1_000_000
        )
        var primaryKeys: [Int64: [String]] = [:]
        var foreignKeys: [Int64: [ForeignKey]] = [:]
        for row in rows {
            guard let oid = row["oid"]?.intValue, let type = row["contype"]?.stringValue else { continue }
            let columns = (row["columns"]?.arrayValue ?? []).compactMap(\.stringValue)
            if type == "p" {
                primaryKeys[oid] = columns
            } else if let table = row["ref_table"]?.stringValue {
                let schema = row["ref_schema"]?.stringValue
                let referenced = schema == nil || schema == "public" ? table : "\(schema ?? "").\(table)"
                foreignKeys[oid, default: []].append(
                    ForeignKey(
                        columns: columns,
                        referencedTable: referenced,
                        referencedColumns: (row["ref_columns"]?.arrayValue ?? []).compactMap(\.stringValue)
                    )
                )
            }
        }
        return (primaryKeys, foreignKeys)
    }
}
