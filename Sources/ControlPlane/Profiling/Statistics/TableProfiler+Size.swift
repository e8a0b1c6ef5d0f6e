import AnalyticsCore
import DataPlane

extension TableProfiler {
    struct Size: Sendable {
        var rows: Int64
        var exact: Bool
        var plan: SamplePlan
    }

    /// Row count (exact when small, estimated when large) and how to sample.
    ///
    /// Estimates come without scanning: PostgreSQL's planner (`EXPLAIN`, which scales
    /// `reltuples` to the table's current size) or `reltuples` itself; for SQLite rowid tables
    /// the rowid span. Only a table estimated at or below ``ProfilerConfiguration/exactCountThreshold``
    /// is counted.
    func size(of table: CatalogTable) async throws -> Size {
        let name = try table.quotedName()
        var estimate: Double?
        var rowidSpan: (low: Int64, high: Int64)?
        switch self.backend {
        case .postgres:
            estimate = try? await self.queries.connector.estimatedRows("SELECT * FROM \(name)", binds: [], timeout: self.queries.timeout)
            if estimate == nil { estimate = table.catalogueRows }
        case .sqlite:
            if table.access == .rowid, let row = try await self.queries.first("SELECT min(rowid) AS lo, max(rowid) AS hi FROM \(name)") {
                if let low = row["lo"]?.intValue, let high = row["hi"]?.intValue {
                    rowidSpan = (low, high)
                    estimate = Double(high - low + 1)
                } else {
                    estimate = 0
                }
            }
        }
        var rows: Int64
        var exact: Bool
        if let estimate, estimate > Double(self.configuration.exactCountThreshold) {
            rows = Int64(estimate.rounded())
            exact = false
        } else {
            rows = try await self.queries.first("SELECT count(*) AS n FROM \(name)")?["n"]?.int64Value ?? 0
            exact = true
        }
        rows = max(0, rows)
        return Size(
            rows: rows,
            exact: exact,
            plan: SamplePlan.make(for: table.access, rows: rows, rowidSpan: rowidSpan, configuration: self.configuration)
        )
    }

}
