import AnalyticsCore
import DataPlane
import Logging

/// Reads one table's statistics through the connector: row count, sampling plan, aggregates,
/// frequencies, value probes, quantiles and sample rows. Every statement is read-only, bounded in
/// rows and time; a statement that fails costs only the numbers it would have produced (recorded as
/// a warning on the table) unless the dataset itself is gone or the run was cancelled.
struct TableProfiler: Sendable {
    let backend: ConnectionURL.Kind
    let queries: ProfilingQueries
    let configuration: ProfilerConfiguration
    let logger: Logger

    /// Columns per aggregate statement (PostgreSQL allows 1,664 result columns; each column takes up to 7).
    static let columnsPerAggregate = 40

    func profile(_ table: CatalogTable) async throws -> TableStatistics {
        var size = Size(rows: 0, exact: false, plan: .full)
        if let warning = try await self.attempt("row count", { size = try await self.size(of: table) }) {
            // Without a row count there is no safe plan: report the table's structure only.
            var statistics = TableStatistics(table: table, rowCount: 0, rowCountExact: false, plan: .full)
            statistics.warnings = [warning]
            return statistics
        }
        var statistics = TableStatistics(table: table, rowCount: size.rows, rowCountExact: size.exact, plan: size.plan)
        var warnings: [String] = []
        for start in stride(from: 0, to: table.columns.count, by: Self.columnsPerAggregate) {
            let chunk = Array(table.columns[start..<min(start + Self.columnsPerAggregate, table.columns.count)])
            let warning = try await self.attempt("statistics of \(chunk.map(\.name).joined(separator: ", "))") {
                try await self.aggregate(chunk, of: table, plan: size.plan, into: &statistics)
            }
            warnings += warning.map { [$0] } ?? []
        }
        for column in table.columns where statistics.columns[column.name]?.measured == true {
            var values = statistics.columns[column.name] ?? TableStatistics.Column()
            if column.kind.isGroupable {
                let warning = try await self.attempt("top values of \(column.name)") {
                    try await self.frequencies(column, of: table, plan: size.plan, into: &values)
                }
                warnings += warning.map { [$0] } ?? []
            }
            if column.kind.mayHoldText || (self.backend == .sqlite && column.kind.isTemporal) {
                let warning = try await self.attempt("value probe of \(column.name)") {
                    values.probe = try await self.probe(column, of: table, plan: size.plan)
                }
                warnings += warning.map { [$0] } ?? []
            }
            if self.backend == .sqlite && column.kind.isNumeric && values.nonNull > 0 {
                let nonNull = values.nonNull
                let warning = try await self.attempt("quantiles of \(column.name)") {
                    values.quantiles = try await self.orderedQuantiles(column, of: table, plan: size.plan, nonNull: nonNull)
                }
                warnings += warning.map { [$0] } ?? []
            }
            statistics.columns[column.name] = values
        }
        if self.configuration.sampleRowCount > 0 {
            let warning = try await self.attempt("sample rows") {
                var builder = SQLBuilder()
                let source = try size.plan.source(table, builder: &builder)
                let limit = builder.bind(.int(Int64(self.configuration.sampleRowCount)))
                statistics.sampleRows = try await self.queries.raw(
                    "SELECT * FROM \(source) LIMIT \(limit)",
                    builder.binds,
                    maxRows: self.configuration.sampleRowCount
                )
            }
            warnings += warning.map { [$0] } ?? []
        }
        statistics.warnings = warnings
        return statistics
    }

    /// Runs `body` and returns nil, or a warning when a statement failed: a failure costs only the
    /// numbers it would have produced, except cancellation and an unavailable dataset, which end the run.
    private func attempt(_ what: String, _ body: () async throws -> Void) async throws -> String? {
        do {
            try await body()
            return nil
        } catch let error as AnalyticsError where ![.queryCancelled, .datasetUnavailable].contains(error.code) {
            self.logger.warning(
                "profiling statement failed",
                metadata: ["mcpa.profile.step": "\(what)", "mcpa.error.code": "\(error.code.rawValue)"]
            )
            return "\(what): \(error.message)"
        }
    }

    // MARK: Aggregates

    private func aggregate(
        _ columns: [CatalogTable.Column],
        of table: CatalogTable,
        plan: SamplePlan,
        into statistics: inout TableStatistics
    ) async throws {
        var builder = SQLBuilder()
        let source = try plan.source(table, builder: &builder)
        var quantileArray: String?
        var items = ["count(*) AS n"]
        for (index, column) in columns.enumerated() {
            let c = try self.reference(column)
            items.append("count(\(c)) AS nn_\(index)")
            if column.kind.isOrderable {
                items.append("min(\(c)) AS min_\(index)")
                items.append("max(\(c)) AS max_\(index)")
            }
            if column.kind.isNumeric {
                let d = self.double(c)
                items.append("avg(\(d)) AS mean_\(index)")
                items.append("avg(\(d) * \(d)) AS sq_\(index)")
                if self.backend == .postgres {
                    if quantileArray == nil {
                        let literal = "{" + Estimators.quantiles.map { "\($0.q)" }.joined(separator: ",") + "}"
                        quantileArray = builder.bind(.string(literal))
                    }
                    items.append("percentile_cont(\(quantileArray ?? "")::float8[]) WITHIN GROUP (ORDER BY \(d)) AS q_\(index)")
                }
            }
        }
        guard let row = try await self.queries.rows("SELECT \(items.joined(separator: ", ")) FROM \(source)", builder.binds, maxRows: 1).first
        else { return }
        statistics.profiledRows = row["n"]?.int64Value ?? 0
        for (index, column) in columns.enumerated() {
            var values = TableStatistics.Column()
            values.measured = true
            values.nonNull = row["nn_\(index)"]?.int64Value ?? 0
            values.min = row["min_\(index)"].flatMap { $0.isNull ? nil : $0 }
            values.max = row["max_\(index)"].flatMap { $0.isNull ? nil : $0 }
            values.mean = row["mean_\(index)"]?.doubleValue
            values.meanOfSquares = row["sq_\(index)"]?.doubleValue
            if let array = row["q_\(index)"]?.arrayValue, array.count == Estimators.quantiles.count {
                var quantiles: [String: Double] = [:]
                for (entry, value) in zip(Estimators.quantiles, array) {
                    if let number = value.doubleValue { quantiles[entry.key] = number }
                }
                values.quantiles = quantiles.isEmpty ? nil : quantiles
            }
            statistics.columns[column.name] = values
        }
    }

    // MARK: Per column

    private func frequencies(
        _ column: CatalogTable.Column,
        of table: CatalogTable,
        plan: SamplePlan,
        into values: inout TableStatistics.Column
    ) async throws {
        var builder = SQLBuilder()
        let source = try plan.source(table, builder: &builder)
        let c = try self.reference(column)
        let limit = builder.bind(.int(Int64(self.configuration.topValueCount)))
        let rows = try await self.queries.rows(
            """
            SELECT v, c, CAST(count(*) OVER () AS BIGINT) AS d, CAST(sum(CASE WHEN c = 1 THEN 1 ELSE 0 END) OVER () AS BIGINT) AS f1
            FROM (SELECT \(c) AS v, count(*) AS c FROM \(source) WHERE \(c) IS NOT NULL GROUP BY \(c)) AS g
            ORDER BY c DESC, v LIMIT \(limit)
            """,
            builder.binds,
            maxRows: self.configuration.topValueCount
        )
        values.top = rows.compactMap { row in
            guard let value = row["v"], let count = row["c"]?.int64Value else { return nil }
            return (value, count)
        }
        values.distinctInSample = rows.first?["d"]?.int64Value ?? 0
        values.singletonsInSample = rows.first?["f1"]?.int64Value ?? 0
    }

    private func probe(_ column: CatalogTable.Column, of table: CatalogTable, plan: SamplePlan) async throws -> [JSONValue] {
        var builder = SQLBuilder()
        let source = try plan.source(table, builder: &builder)
        let c = try self.reference(column)
        let limit = builder.bind(.int(Int64(self.configuration.valueProbeSize)))
        return try await self.queries.rows(
            "SELECT \(c) AS v FROM \(source) WHERE \(c) IS NOT NULL LIMIT \(limit)",
            builder.binds,
            maxRows: self.configuration.valueProbeSize
        ).compactMap { $0["v"] }
    }

    /// SQLite has no `percentile_cont`: read every k-th value of the ordered column (at most
    /// `quantileResolution` of them, plus the last) and interpolate.
    private func orderedQuantiles(
        _ column: CatalogTable.Column,
        of table: CatalogTable,
        plan: SamplePlan,
        nonNull: Int64
    ) async throws -> [String: Double]? {
        var builder = SQLBuilder()
        let source = try plan.source(table, builder: &builder)
        let d = self.double(try self.reference(column))
        let step = max(1, (nonNull + Int64(self.configuration.quantileResolution) - 1) / Int64(self.configuration.quantileResolution))
        let stepBind = builder.bind(.int(step))
        let lastBind = builder.bind(.int(nonNull))
        let rows = try await self.queries.rows(
            """
            SELECT r, v FROM (
                SELECT row_number() OVER (ORDER BY \(d)) AS r, \(d) AS v FROM \(source) WHERE \(d) IS NOT NULL
            ) AS o WHERE (r - 1) % \(stepBind) = 0 OR r = \(lastBind) ORDER BY r
            """,
            builder.binds,
            maxRows: self.configuration.quantileResolution + 2
        )
        let points = rows.compactMap { row -> (rank: Double, value: Double)? in
            guard let rank = row["r"]?.doubleValue, let value = row["v"]?.doubleValue else { return nil }
            return (rank, value)
        }
        guard let count = points.last?.rank else { return nil }
        var quantiles: [String: Double] = [:]
        for entry in Estimators.quantiles {
            quantiles[entry.key] = Estimators.quantile(entry.q, points: points, count: count)
        }
        return quantiles
    }

    // MARK: SQL pieces

    private func reference(_ column: CatalogTable.Column) throws -> String {
        "\"src\".\(try SQLIdentifier.quote(column.name))"
    }

    private func double(_ expression: String) -> String {
        self.backend == .postgres ? "CAST(\(expression) AS double precision)" : "CAST(\(expression) AS REAL)"
    }
}
