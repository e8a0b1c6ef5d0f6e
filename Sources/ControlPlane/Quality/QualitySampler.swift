import AnalyticsCore
import DataPlane

/// Runs quality checks on the rows a table's profile was computed on: all of them when the
/// profile read the whole table, otherwise a repeatable sample of the same percent.
struct QualitySampler: Sendable {
    let queries: ProfilingQueries
    let backend: ConnectionURL.Kind

    init(connector: any DatasetConnector, timeout: Duration) {
        self.queries = ProfilingQueries(connector: connector, timeout: timeout)
        self.backend = connector.kind
    }

    /// The table as the catalogue would describe it, enough to quote and sample it.
    func catalogTable(_ table: TableProfile) -> CatalogTable {
        let access: CatalogTable.Access =
            switch (self.backend, table.kind) {
            case (_, .view): .scan
            case (.postgres, _): .pages
            case (.sqlite, _): .rowid
            }
        return CatalogTable(
            schema: table.schema,
            name: table.name,
            kind: table.kind,
            columns: [],
            primaryKey: table.primaryKey,
            foreignKeys: table.foreignKeys,
            access: access,
            catalogueRows: nil
        )
    }

    /// The sampling plan matching the profile's `samplePercent`.
    func plan(_ table: TableProfile) async throws -> SamplePlan {
        guard table.samplePercent < 100 else { return .full }
        let catalog = self.catalogTable(table)
        var configuration = ProfilerConfiguration()
        configuration.samplingThreshold = 1
        configuration.samplePercent = table.samplePercent
        var span: (low: Int64, high: Int64)?
        if catalog.access == .rowid {
            let row = try await self.queries.first("SELECT min(rowid) AS lo, max(rowid) AS hi FROM \(try catalog.quotedName())")
            if let low = row?["lo"]?.intValue, let high = row?["hi"]?.intValue { span = (low, high) }
        }
        let access: CatalogTable.Access = catalog.access == .rowid && span == nil ? .scan : catalog.access
        return SamplePlan.make(for: access, rows: table.rowCount, rowidSpan: span, configuration: configuration)
    }

    /// A `FROM` item over the table's profiled rows, aliased `alias`.
    func source(_ table: TableProfile, plan: SamplePlan, alias: String, builder: inout SQLBuilder) throws -> String {
        try plan.source(self.catalogTable(table), alias: alias, builder: &builder)
    }

    /// `CAST(expression AS <double>)` in the backend's spelling.
    func double(_ expression: String) -> String {
        self.backend == .postgres ? "CAST(\(expression) AS double precision)" : "CAST(\(expression) AS REAL)"
    }
}
