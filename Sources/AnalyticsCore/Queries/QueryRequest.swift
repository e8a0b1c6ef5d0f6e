/// One guarded SQL query as a client asks for it (`execute_sql`, `POST /api/query`, a plan step).
public struct QueryRequest: Sendable, Codable, Hashable {
    public var datasetID: String
    public var sql: String
    /// Rows wanted; the engine clamps it to the dataset's limits (and to `raw_row_limit` for raw results).
    public var limit: Int?
    /// A persona the caller is reasoning about; logged and echoed, never used to rewrite free SQL.
    public var persona: String?

    public init(datasetID: String, sql: String, limit: Int? = nil, persona: String? = nil) {
        self.datasetID = datasetID
        self.sql = sql
        self.limit = limit
        self.persona = persona
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case sql, limit, persona
        case datasetID = "dataset_id"
    }
}

/// Who is asking and through what, for authorisation and the query log (DESIGN §5.5).
public struct CallerContext: Sendable, Hashable {
    public var principal: Principal
    /// The MCP client's name and version from `initialize`, when the call came over MCP.
    public var clientName: String?
    public var clientVersion: String?
    /// The MCP tool or REST route, e.g. `execute_sql` or `POST /api/query`.
    public var tool: String
    /// SHA-256 of the end user's prompt when a client supplies one.
    public var promptHash: String?

    public init(principal: Principal, clientName: String? = nil, clientVersion: String? = nil, tool: String, promptHash: String? = nil) {
        self.principal = principal
        self.clientName = clientName
        self.clientVersion = clientVersion
        self.tool = tool
        self.promptHash = promptHash
    }
}
