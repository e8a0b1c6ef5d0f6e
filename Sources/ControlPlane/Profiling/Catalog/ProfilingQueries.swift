import AnalyticsCore
import DataPlane

/// Runs the profiler's statements through a dataset connector: read-only, each with the
/// configured timeout, and bounded in rows.
struct ProfilingQueries: Sendable {
    let connector: any DatasetConnector
    let timeout: Duration

    /// Rows of `sql`, at most `maxRows`.
    func rows(_ sql: String, _ binds: [JSONValue] = [], maxRows: Int = 10_000) async throws -> [[String: JSONValue]] {
        let result = try await self.connector.query(sql, binds: binds, maxRows: maxRows, timeout: self.timeout)
        let names = result.columns.map(\.name)
        return result.rows.map { row in
            var object: [String: JSONValue] = [:]
            for (name, value) in zip(names, row) { object[name] = value }
            return object
        }
    }

    func rows(_ statement: (sql: String, binds: [JSONValue]), maxRows: Int = 10_000) async throws -> [[String: JSONValue]] {
        try await self.rows(statement.sql, statement.binds, maxRows: maxRows)
    }

    /// The raw result (column order preserved), for sample rows.
    func raw(_ sql: String, _ binds: [JSONValue], maxRows: Int) async throws -> RawRows {
        try await self.connector.query(sql, binds: binds, maxRows: maxRows, timeout: self.timeout)
    }

    func first(_ sql: String, _ binds: [JSONValue] = []) async throws -> [String: JSONValue]? {
        try await self.rows(sql, binds, maxRows: 1).first
    }
}

extension JSONValue {
    /// Integer from any numeric case (PostgreSQL `numeric` sums arrive as exact decimals).
    var int64Value: Int64? {
        if let int = self.intValue { return int }
        if let double = self.doubleValue, double.isFinite, abs(double) < 9.0e18 { return Int64(double.rounded()) }
        return nil
    }
}
