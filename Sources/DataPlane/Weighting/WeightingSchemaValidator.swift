import AnalyticsCore

/// Checks a ``WeightingConfig`` against the live dataset through its connector (DESIGN §5.2):
/// the respondent table and key exist and the key is unique; the weight column exists, is numeric
/// and has no negative values (missing and zero weights are reported); dimension columns exist and
/// every raw value a merge map names occurs; event tables and the columns they declare exist,
/// measures are numeric.
///
/// Every query is a plain aggregate over one table with identifiers quoted and values bound.
public struct WeightingSchemaValidator: Sendable {
    let connector: any DatasetConnector
    let dialect: SQLDialect
    let timeout: Duration
    /// Distinct raw values read per dimension; more are reported as unchecked.
    public var maximumDistinctValues = 1_000

    public init(connector: any DatasetConnector, dialect: SQLDialect, timeout: Duration = .seconds(30)) {
        self.connector = connector
        self.dialect = dialect
        self.timeout = timeout
    }

    public func validate(_ config: WeightingConfig) async throws -> WeightingValidationReport {
        var report = WeightingValidationReport()
        let schema = LiveSchema(connector: self.connector, timeout: self.timeout)
        let respondents = config.qualifiedName(config.respondentTable)
        guard let columns = try await schema.columnsIfReadable(of: respondents) else {
            report.problems.append("respondent_table: '\(respondents.joined(separator: "."))' does not exist or cannot be read")
            return report
        }
        let names = Set(columns.map(\.name))
        let table = config.respondentTable
        if !names.contains(config.respondentKey) {
            report.problems.append("respondent_key: '\(config.respondentKey)' is not a column of \(table)")
        }
        if let weight = columns.first(where: { $0.name == config.weightColumn }) {
            if ColumnTypes.isNumeric(weight.type, dialect: self.dialect) {
                try await self.checkWeights(config, &report)
            } else {
                report.problems.append("weight_column: '\(weight.name)' is \(weight.type), not numeric")
            }
        } else {
            report.problems.append("weight_column: '\(config.weightColumn)' is not a column of \(table)")
        }
        for (index, dimension) in config.dimensions.enumerated() {
            guard names.contains(dimension.column) else {
                report.problems.append("dimensions[\(index)].column: '\(dimension.column)' is not a column of \(table)")
                continue
            }
            try await self.checkValues(dimension, at: "dimensions[\(index)]", config: config, &report)
        }
        for (index, eventTable) in config.eventTables.enumerated() {
            try await self.checkEventTable(eventTable, at: "event_tables[\(index)]", config: config, schema: schema, &report)
        }
        return report
    }

    func checkWeights(_ config: WeightingConfig, _ report: inout WeightingValidationReport) async throws {
        var binds = SQLBinds()
        let w = try SQLIdentifier.quote(config.weightColumn)
        let key = try SQLIdentifier.quote(config.respondentKey)
        let zero = binds.add(.int(0))
        var select = [
            "COUNT(*)", "COUNT(\(w))", "SUM(CASE WHEN \(w) < \(zero) THEN 1 ELSE 0 END)", "SUM(CASE WHEN \(w) = \(zero) THEN 1 ELSE 0 END)",
            "MIN(CAST(\(w) AS DOUBLE PRECISION))", "MAX(CAST(\(w) AS DOUBLE PRECISION))", "SUM(CAST(\(w) AS DOUBLE PRECISION))",
            "COUNT(DISTINCT \(key))", "COUNT(\(key))",
        ]
        if self.dialect == .sqlite {
            let kinds = binds.list([.string("integer"), .string("real"), .string("null")])
            select.append("SUM(CASE WHEN typeof(\(w)) NOT IN (\(kinds)) THEN 1 ELSE 0 END)")
        }
        let table = try SQLIdentifier.quote(qualified: config.qualifiedName(config.respondentTable))
        let sql = "SELECT \(select.joined(separator: ", ")) FROM \(table)"
        let row = try await self.connector.query(sql, binds: binds.values, maxRows: 1, timeout: self.timeout).rows.first ?? []
        func int(_ index: Int) -> Int { index < row.count ? Int(row[index].intValue ?? Int64(row[index].doubleValue ?? 0)) : 0 }
        func double(_ index: Int) -> Double? { index < row.count ? row[index].doubleValue : nil }
        let summary = WeightingValidationReport.WeightSummary(
            respondents: int(0),
            missing: int(0) - int(1),
            zero: int(3),
            negative: int(2),
            minimum: double(4),
            maximum: double(5),
            sum: double(6)
        )
        report.weights = summary
        let column = "weight_column: '\(config.weightColumn)'"
        if self.dialect == .sqlite, int(9) > 0 {
            report.problems.append("\(column) holds \(int(9)) value\(int(9) == 1 ? "" : "s") that are not numbers")
        }
        if summary.negative > 0 {
            let minimum = summary.minimum.map { " (minimum \(NarrativeNumbers.decimal($0)))" } ?? ""
            report.problems.append("\(column) has \(summary.negative) negative weight\(summary.negative == 1 ? "" : "s")\(minimum)")
        }
        if summary.missing > 0 {
            report.warnings.append(
                "\(column) is missing for \(summary.missing) respondent\(summary.missing == 1 ? "" : "s"); they are left out of every breakdown"
            )
        }
        if summary.zero > 0 {
            report.warnings.append(
                "\(column) is 0 for \(summary.zero) respondent\(summary.zero == 1 ? "" : "s"); they count in n but add nothing to weighted figures"
            )
        }
        if summary.respondents == 0 { report.warnings.append("respondent_table: \(config.respondentTable) has no rows") }
        if int(7) != int(8) {
            report.problems.append(
                "respondent_key: '\(config.respondentKey)' is not unique in \(config.respondentTable) (\(int(8) - int(7)) duplicates)"
            )
        }
    }

    func checkValues(
        _ dimension: WeightingDimension,
        at path: String,
        config: WeightingConfig,
        _ report: inout WeightingValidationReport
    ) async throws {
        let column = try SQLIdentifier.quote(dimension.column)
        let table = try SQLIdentifier.quote(qualified: config.qualifiedName(config.respondentTable))
        let sql = "SELECT CAST(\(column) AS TEXT) AS \"value\", COUNT(*) AS \"n\" FROM \(table) GROUP BY CAST(\(column) AS TEXT)"
        let rows = try await self.connector.query(sql, binds: [], maxRows: self.maximumDistinctValues, timeout: self.timeout)
        var present: Set<String> = []
        var missing = 0
        for row in rows.rows {
            guard let value = row.first else { continue }
            if let text = value.stringValue {
                present.insert(text)
            } else if value.isNull {
                missing += Int(row.dropFirst().first?.intValue ?? 0)
            }
        }
        let where_ = "\(config.respondentTable).\(dimension.column)"
        if rows.truncated {
            report.warnings.append("\(path): \(where_) has more than \(self.maximumDistinctValues) distinct values; only the first were checked")
        }
        for source in dimension.merge.keys.sorted() where !present.contains(source) && !rows.truncated {
            report.problems.append("\(path).merge.\(source): raw value '\(source)' does not occur in \(where_)")
        }
        guard !dimension.values.isEmpty else { return }
        let reported = Set(present.map(dimension.reported))
        let unused = dimension.values.map(\.value).filter { !reported.contains($0) }
        if !unused.isEmpty, !rows.truncated {
            report.warnings.append("\(path).values: no respondent has \(unused.map { "'\($0)'" }.joined(separator: ", "))")
        }
        let undeclared = reported.filter { dimension.value($0) == nil }.sorted()
        if !undeclared.isEmpty {
            report.warnings.append(
                "\(path): \(where_) has values the config does not declare, reported as themselves: \(undeclared.prefix(20).map { "'\($0)'" }.joined(separator: ", "))"
            )
        }
        if missing > 0 { report.warnings.append("\(path): \(where_) is missing for \(missing) respondent\(missing == 1 ? "" : "s")") }
    }

    func checkEventTable(
        _ table: EventTableConfig,
        at path: String,
        config: WeightingConfig,
        schema: LiveSchema,
        _ report: inout WeightingValidationReport
    ) async throws {
        guard let columns = try await schema.columnsIfReadable(of: config.qualifiedName(table.table)) else {
            report.problems.append("\(path).table: '\(table.table)' does not exist or cannot be read")
            return
        }
        func has(_ name: String) -> Bool { columns.contains { $0.name == name } }
        if !has(table.respondentKey) { report.problems.append("\(path).respondent_key: '\(table.respondentKey)' is not a column of \(table.table)") }
        if let time = table.timeColumn, !has(time) {
            report.problems.append("\(path).time_column: '\(time)' is not a column of \(table.table)")
        }
        for (index, measure) in table.measures.enumerated() {
            guard let column = columns.first(where: { $0.name == measure.column }) else {
                report.problems.append("\(path).measures[\(index)].column: '\(measure.column)' is not a column of \(table.table)")
                continue
            }
            if !ColumnTypes.isNumeric(column.type, dialect: self.dialect) {
                report.problems.append("\(path).measures[\(index)].column: '\(measure.column)' is \(column.type), not numeric")
            }
        }
        for name in table.filterColumns where !has(name) {
            report.problems.append("\(path).filter_columns: '\(name)' is not a column of \(table.table)")
        }
    }
}
