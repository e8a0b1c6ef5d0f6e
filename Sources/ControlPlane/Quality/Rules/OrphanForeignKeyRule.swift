import AnalyticsCore

/// Rows whose foreign key points at nothing, checked with an anti-join on the profiled rows
/// (sampled for large tables). Declared keys are checked (SQLite does not enforce them; PostgreSQL
/// keys may be `NOT VALID`), and so are undeclared ones the names imply: a column named like
/// another table's single-column primary key (`respondent_id` → `respondents.respondent_id`).
public struct OrphanForeignKeyRule: QualityRule {
    public var ruleIDs: [String] { ["fk.orphans"] }

    public init() {}

    struct Reference: Hashable {
        var table: String
        var columns: [String]
        var parent: String
        var parentColumns: [String]
        var declared: Bool
    }

    public func evaluate(_ context: QualityContext) async throws -> [QualityFinding] {
        guard let connector = context.connector else { return [] }
        let sampler = QualitySampler(connector: connector, timeout: context.configuration.statementTimeout)
        var findings: [QualityFinding] = []
        for reference in Self.references(context.profile) {
            guard let child = context.table(reference.table), let parent = context.table(reference.parent), child.rowCount > 0,
                !reference.columns.isEmpty, reference.columns.count == reference.parentColumns.count
            else { continue }
            let plan = try await sampler.plan(child)
            var builder = SQLBuilder()
            let source = try sampler.source(child, plan: plan, alias: "src", builder: &builder)
            let parentName = try sampler.catalogTable(parent).quotedName()
            let childColumns = try reference.columns.map { "\"src\".\(try SQLIdentifier.quote($0))" }
            let matches = try zip(reference.columns, reference.parentColumns).map { childColumn, parentColumn in
                "\"p\".\(try SQLIdentifier.quote(parentColumn)) = \"src\".\(try SQLIdentifier.quote(childColumn))"
            }
            let row = try await sampler.queries.first(
                """
                SELECT count(*) AS checked,
                       sum(CASE WHEN NOT EXISTS (SELECT 1 FROM \(parentName) AS "p" WHERE \(matches.joined(separator: " AND "))) THEN 1 ELSE 0 END) AS orphans
                FROM \(source) WHERE \(childColumns.map { "\($0) IS NOT NULL" }.joined(separator: " AND "))
                """,
                builder.binds
            )
            let orphans = row?["orphans"]?.int64Value ?? 0
            guard orphans > 0 else { continue }
            let checked = row?["checked"]?.int64Value ?? 0
            let target = "\(parent.qualifiedName)(\(reference.parentColumns.joined(separator: ", ")))"
            findings.append(
                QualityFinding(
                    ruleID: "fk.orphans",
                    severity: .error,
                    table: child.qualifiedName,
                    column: reference.columns.joined(separator: ", "),
                    message: "\(orphans) of \(checked) checked rows of \(child.qualifiedName) reference no row of \(target)"
                        + (reference.declared ? "." : " (an undeclared key implied by the column name)."),
                    evidence: [
                        "checked_rows": .int(checked), "orphan_rows": .int(orphans),
                        "orphan_share": .double(checked > 0 ? Double(orphans) / Double(checked) : 0), "references": .string(target),
                        "declared": .bool(reference.declared), "sample_percent": .double(plan.percent),
                    ]
                )
            )
        }
        return findings
    }

    /// Declared foreign keys, then keys implied by column names.
    static func references(_ profile: DatasetProfile) -> [Reference] {
        var references: [Reference] = []
        var keyedTables: [String: (table: TableProfile, key: String)] = [:]
        for table in profile.tables where table.primaryKey.count == 1 {
            let key = table.primaryKey[0]
            // A bare `id` names no table; `respondents.id` is what `respondent_id` elsewhere means.
            let singular = table.name.hasSuffix("s") ? String(table.name.dropLast()) : table.name
            let implied = key == "id" ? "\(singular)_id" : key
            keyedTables[implied] = keyedTables[implied] ?? (table, key)
        }
        for table in profile.tables {
            let declared = Set(table.foreignKeys.flatMap(\.columns))
            for key in table.foreignKeys {
                references.append(
                    Reference(
                        table: table.qualifiedName,
                        columns: key.columns,
                        parent: key.referencedTable,
                        parentColumns: key.referencedColumns,
                        declared: true
                    )
                )
            }
            for column in table.columns where !declared.contains(column.name) && !table.primaryKey.contains(column.name) {
                guard let parent = keyedTables[column.name], parent.table.qualifiedName != table.qualifiedName,
                    let parentColumn = parent.table.column(named: parent.key), Self.compatible(column, parentColumn)
                else { continue }
                references.append(
                    Reference(
                        table: table.qualifiedName,
                        columns: [column.name],
                        parent: parent.table.qualifiedName,
                        parentColumns: [parent.key],
                        declared: false
                    )
                )
            }
        }
        return references
    }

    /// Both numeric or both not (a text column compared with an integer key would fail in PostgreSQL).
    static func compatible(_ a: ColumnProfile, _ b: ColumnProfile) -> Bool {
        let numeric: (ColumnProfile) -> Bool = { column in
            let type = column.type.lowercased()
            return ["int", "numeric", "decimal", "real", "double", "float", "serial"].contains { type.contains($0) }
        }
        return numeric(a) == numeric(b)
    }
}
