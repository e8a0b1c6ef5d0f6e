import AnalyticsCore

/// Reads table shapes from a live dataset through its connector, with plain queries both
/// dialects accept (`SELECT * … WHERE 1 = 0` returns the columns and no rows).
struct LiveSchema {
    let connector: any DatasetConnector
    let timeout: Duration

    /// The columns of `table` (schema-qualified name parts); `INVALID_WEIGHTING_CONFIG`-ready
    /// failure is left to the caller: this throws what the connector throws.
    func columns(of table: [String]) async throws -> [ColumnInfo] {
        let sql = "SELECT * FROM \(try SQLIdentifier.quote(qualified: table)) WHERE 1 = 0"
        return try await self.connector.query(sql, binds: [], maxRows: 1, timeout: self.timeout).columns
    }

    /// The columns of `table`, or nil when it cannot be read (missing, or no privilege).
    func columnsIfReadable(of table: [String]) async throws -> [ColumnInfo]? {
        do {
            return try await self.columns(of: table)
        } catch let error as AnalyticsError where [.queryFailed, .invalidRequest, .sqlParseError].contains(error.code) {
            return nil
        }
    }
}
