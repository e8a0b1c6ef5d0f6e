import AnalyticsCore

/// Rows as read from a dataset, before any shaping: at most `maxRows`, with an exact `truncated` flag
/// (the connector reads one row more than it returns to know).
public struct RawRows: Sendable, Hashable {
    public var columns: [ColumnInfo]
    public var rows: [[JSONValue]]
    public var truncated: Bool

    public init(columns: [ColumnInfo], rows: [[JSONValue]], truncated: Bool) {
        self.columns = columns
        self.rows = rows
        self.truncated = truncated
    }
}

/// A live, pooled, read-only connection to one dataset's database.
///
/// The guard has already vetted `sql`; the connector adds the second layer of defence (a read-only
/// transaction or read-only SQLite connection with a statement timeout) and streams rows so that a
/// huge result is never materialised. Driver errors are logged here and surface as `AnalyticsError`s
/// (`QUERY_TIMEOUT`, `QUERY_FAILED`, `DATASET_UNAVAILABLE`, …) whose messages hold no connection details.
public protocol DatasetConnector: Sendable {
    var datasetID: String { get }
    var kind: ConnectionURL.Kind { get }

    /// Runs one read-only statement with `binds` as parameters (`$1…` placeholders) and returns at most
    /// `maxRows` rows; cancelling the calling task cancels the statement.
    func query(_ sql: String, binds: [JSONValue], maxRows: Int, timeout: Duration) async throws -> RawRows

    /// The planner's row estimate for `sql` (EXPLAIN), or nil when the backend cannot tell.
    func estimatedRows(_ sql: String, binds: [JSONValue], timeout: Duration) async throws -> Double?

    /// A trivial round trip; throws `DATASET_UNAVAILABLE` when the database does not answer.
    func ping(timeout: Duration) async throws

    /// Warnings about the login's privileges: superuser, or able to write anywhere.
    func auditCredentials() async throws -> [String]
}
