import AnalyticsCore

/// Tables without a primary key: reported, and their candidate keys (`id`, `<table>_id`, or any
/// near-unique `…_id`/`…_key`/`…_code` column) checked for duplicate values on the
/// profiled rows — duplicates double-count respondents or events in every aggregate.
public struct DuplicateKeyRule: QualityRule {
    public var ruleIDs: [String] { ["key.missing", "key.duplicates"] }

    public init() {}

    public func evaluate(_ context: QualityContext) async throws -> [QualityFinding] {
        var findings: [QualityFinding] = []
        for table in context.profile.tables where table.kind == .table && table.primaryKey.isEmpty && table.rowCount > 0 {
            let candidates = Self.candidates(table)
            findings.append(
                QualityFinding(
                    ruleID: "key.missing",
                    severity: .info,
                    table: table.qualifiedName,
                    message: "\(table.qualifiedName) has no primary key"
                        + (candidates.isEmpty ? " and no column that looks like one." : "; candidate keys: \(candidates.joined(separator: ", "))."),
                    evidence: ["candidate_keys": .array(candidates.map(JSONValue.string))]
                )
            )
            guard let connector = context.connector else { continue }
            let sampler = QualitySampler(connector: connector, timeout: context.configuration.statementTimeout)
            let plan = try await sampler.plan(table)
            for column in candidates {
                var builder = SQLBuilder()
                let source = try sampler.source(table, plan: plan, alias: "src", builder: &builder)
                let c = "\"src\".\(try SQLIdentifier.quote(column))"
                let row = try await sampler.queries.first(
                    """
                    SELECT count(*) AS duplicated_values, sum(c) AS rows_involved FROM (
                        SELECT \(c) AS v, count(*) AS c FROM \(source) WHERE \(c) IS NOT NULL GROUP BY \(c) HAVING count(*) > 1
                    ) AS d
                    """,
                    builder.binds
                )
                let duplicated = row?["duplicated_values"]?.int64Value ?? 0
                guard duplicated > 0 else { continue }
                let involved = row?["rows_involved"]?.int64Value ?? 0
                findings.append(
                    QualityFinding(
                        ruleID: "key.duplicates",
                        severity: .warning,
                        table: table.qualifiedName,
                        column: column,
                        message: "\(table.qualifiedName).\(column) looks like a key but \(duplicated) of its values repeat (\(involved) rows"
                            + (plan.isSampled ? " in a \(DateFormatRule.percent(plan.percent / 100)) sample)." : ")."),
                        evidence: [
                            "duplicated_values": .int(duplicated), "rows_involved": .int(involved), "sample_percent": .double(plan.percent),
                        ]
                    )
                )
            }
        }
        return findings
    }

    /// Columns that should be unique in a table without a declared key.
    static func candidates(_ table: TableProfile) -> [String] {
        let singular = table.name.hasSuffix("s") ? String(table.name.dropLast()) : table.name
        let foreign = Set(table.foreignKeys.flatMap(\.columns))
        return table.columns.filter { column in
            guard !foreign.contains(column.name), column.pii == nil else { return false }
            let name = column.name.lowercased()
            if name == "id" || name == "\(singular.lowercased())_id" || name == "\(table.name.lowercased())_id" { return true }
            let tokens = NameTokens.split(column.name)
            guard ["id", "key", "code"].contains(tokens.last ?? ""), let distinct = column.distinctEstimate, table.rowCount > 0 else {
                return false
            }
            let nonNull = Double(table.rowCount) * (1 - (column.nullFraction ?? 0))
            return distinct >= 0.9 * nonNull
        }.map(\.name)
    }
}
