import AnalyticsCore
import Logging

/// Reads tables, views, columns and keys of a SQLite dataset through the read-only introspection
/// pragmas (as statements: the connector's authorizer refuses the `pragma_…()` table functions), and descriptions from a `_data_dictionary` table when the file has one (SQLite has no
/// comments; the demo panel and other producers document their columns there).
struct SQLiteCatalogReader: Sendable {
    /// The table that stands in for PostgreSQL comments: `(table_name, column_name, description)`,
    /// `column_name` NULL for the table's own description. It is metadata, so it is not profiled.
    static let dictionaryTable = "_data_dictionary"

    let queries: ProfilingQueries
    let logger: Logger

    func tables() async throws -> [CatalogTable] {
        let relations = try await self.queries.rows(
            """
            SELECT name, type FROM sqlite_master
            WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite!_%' ESCAPE '!'
            ORDER BY name
            """,
            maxRows: 100_000
        )
        let names = Set(relations.compactMap { $0["name"]?.stringValue })
        let dictionary = names.contains(Self.dictionaryTable) ? await self.dictionary() : [:]
        var tables: [CatalogTable] = []
        for relation in relations {
            guard let name = relation["name"]?.stringValue, name != Self.dictionaryTable else { continue }
            let isView = relation["type"]?.stringValue == "view"
            let info = try await self.queries.rows("PRAGMA table_info(\(try SQLIdentifier.quote(name)))", maxRows: 100_000)
            let columns = info.compactMap { row -> CatalogTable.Column? in
                guard let column = row["name"]?.stringValue else { return nil }
                let type = row["type"]?.stringValue ?? ""
                return CatalogTable.Column(
                    name: column,
                    type: type,
                    kind: ColumnKind.sqlite(declaredType: type),
                    nullable: row["notnull"]?.intValue != 1,
                    comment: dictionary[Key(table: name, column: column)]
                )
            }
            let primaryKey = info.compactMap { row -> (Int64, String)? in
                guard let position = row["pk"]?.intValue, position > 0, let column = row["name"]?.stringValue else { return nil }
                return (position, column)
            }.sorted { $0.0 < $1.0 }.map(\.1)
            tables.append(
                CatalogTable(
                    schema: nil,
                    name: name,
                    kind: isView ? .view : .table,
                    comment: dictionary[Key(table: name, column: nil)],
                    columns: columns,
                    primaryKey: primaryKey,
                    foreignKeys: isView ? [] : try await self.foreignKeys(of: name),
                    access: isView ? .scan : (await self.hasRowid(name) ? .rowid : .scan),
                    catalogueRows: nil
                )
            )
        }
        return self.resolvingImplicitReferences(tables)
    }

    private struct Key: Hashable {
        var table: String
        var column: String?
    }

    /// Descriptions from the data dictionary; a dictionary of another shape is ignored (logged).
    private func dictionary() async -> [Key: String] {
        do {
            let quoted = try SQLIdentifier.quote(Self.dictionaryTable)
            let rows = try await self.queries.rows("SELECT table_name, column_name, description FROM \(quoted)", maxRows: 1_000_000)
            var entries: [Key: String] = [:]
            for row in rows {
                guard let table = row["table_name"]?.stringValue, let description = row["description"]?.stringValue else { continue }
                entries[Key(table: table, column: row["column_name"]?.stringValue)] = description
            }
            return entries
        } catch {
            self.logger.info("sqlite data dictionary not readable", metadata: ["mcpa.error": "\(error)"])
            return [:]
        }
    }

    private func foreignKeys(of table: String) async throws -> [ForeignKey] {
        let rows = try await self.queries.rows("PRAGMA foreign_key_list(\(try SQLIdentifier.quote(table)))", maxRows: 100_000)
            .sorted { ($0["id"]?.intValue ?? 0, $0["seq"]?.intValue ?? 0) < ($1["id"]?.intValue ?? 0, $1["seq"]?.intValue ?? 0) }
        var keys: [Int64: ForeignKey] = [:]
        for row in rows {
            guard let id = row["id"]?.intValue, let referenced = row["table"]?.stringValue, let from = row["from"]?.stringValue else {
                continue
            }
            var key = keys[id] ?? ForeignKey(columns: [], referencedTable: referenced, referencedColumns: [])
            key.columns.append(from)
            if let to = row["to"]?.stringValue { key.referencedColumns.append(to) }
            keys[id] = key
        }
        return keys.keys.sorted().compactMap { keys[$0] }
    }

    /// Whether `rowid` can be read (false for `WITHOUT ROWID` tables).
    private func hasRowid(_ table: String) async -> Bool {
        do {
            _ = try await self.queries.rows("SELECT rowid FROM \(try SQLIdentifier.quote(table)) LIMIT 1", maxRows: 1)
            return true
        } catch {
            return false
        }
    }

    /// A SQLite foreign key that omits the parent columns refers to the parent's primary key.
    private func resolvingImplicitReferences(_ tables: [CatalogTable]) -> [CatalogTable] {
        let keys = Dictionary(tables.map { ($0.name, $0.primaryKey) }, uniquingKeysWith: { first, _ in first })
        return tables.map { table in
            var table = table
            table.foreignKeys = table.foreignKeys.map { key in
                var key = key
                if key.referencedColumns.isEmpty { key.referencedColumns = keys[key.referencedTable] ?? [] }
                return key
            }
            return table
        }
    }
}
