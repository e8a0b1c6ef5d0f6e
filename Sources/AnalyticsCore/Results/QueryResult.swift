import Foundation

/// A result column: its name and the database's type name (e.g. `numeric`, `timestamptz`, `text`).
public struct ColumnInfo: Sendable, Codable, Hashable {
    public var name: String
    public var type: String

    public init(name: String, type: String) {
        self.name = name
        self.type = type
    }
}

/// Something the client should know about a result that is not an error: a cap applied, a cached
/// answer, an unweighted aggregate. `code` is stable (e.g. `RAW_ROW_LIMIT`, `TRUNCATED`,
/// `RESULT_BUDGET`, `UNWEIGHTED_AGGREGATE`).
public struct QueryWarning: Sendable, Codable, Hashable {
    public var code: String
    public var message: String
    public var hint: String?

    public init(code: String, message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }
}

/// The answer to one guarded query, as returned by `execute_sql`, `POST /api/query` and plan steps.
public struct QueryResult: Sendable, Codable, Hashable {
    public var datasetID: String
    public var columns: [ColumnInfo]
    public var rows: [[JSONValue]]
    /// Rows returned (after caps).
    public var rowCount: Int
    /// Exact: true only if the query had more rows than were returned.
    public var truncated: Bool
    /// Whether the guard classified the query as aggregated (raw results are capped harder).
    public var aggregated: Bool
    public var elapsedMs: Double
    public var queryID: String
    public var cached: Bool
    public var warnings: [QueryWarning]

    public init(
        datasetID: String,
        columns: [ColumnInfo],
        rows: [[JSONValue]],
        rowCount: Int,
        truncated: Bool,
        aggregated: Bool,
        elapsedMs: Double,
        queryID: String,
        cached: Bool = false,
        warnings: [QueryWarning] = []
    ) {
        self.datasetID = datasetID
        self.columns = columns
        self.rows = rows
        self.rowCount = rowCount
        self.truncated = truncated
        self.aggregated = aggregated
        self.elapsedMs = elapsedMs
        self.queryID = queryID
        self.cached = cached
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey {
        case columns, rows, truncated, aggregated, cached, warnings
        case datasetID = "dataset_id"
        case rowCount = "row_count"
        case elapsedMs = "elapsed_ms"
        case queryID = "query_id"
    }
}
