import AnalyticsCore
import Foundation

/// One audited tool call or API query (DESIGN §5.5). Holds normalised SQL, never secrets or raw values.
public struct QueryLogEntry: Sendable, Codable, Hashable {
    public var id: String
    public var at: Date
    public var principalID: String
    public var principalName: String
    public var clientName: String?
    public var clientVersion: String?
    /// The MCP tool or REST route, e.g. `execute_sql` or `POST /api/query`.
    public var tool: String
    public var datasetIDs: [String]
    /// SQL with constants replaced by placeholders (`pg_query_normalize`).
    public var normalizedSQL: String?
    public var fingerprint: String?
    public var status: Status
    public var errorCode: String?
    public var durationMs: Double
    public var rows: Int
    public var bytes: Int
    public var cached: Bool
    public var planID: String?
    /// SHA-256 of the user's prompt when a client supplies one.
    public var promptHash: String?
    public var persona: String?

    public enum Status: String, Sendable, Codable, Hashable {
        case ok
        case error
    }

    public init(
        id: String = UUID().uuidString.lowercased(),
        at: Date = Date(),
        principalID: String,
        principalName: String,
        clientName: String? = nil,
        clientVersion: String? = nil,
        tool: String,
        datasetIDs: [String] = [],
        normalizedSQL: String? = nil,
        fingerprint: String? = nil,
        status: Status,
        errorCode: String? = nil,
        durationMs: Double,
        rows: Int = 0,
        bytes: Int = 0,
        cached: Bool = false,
        planID: String? = nil,
        promptHash: String? = nil,
        persona: String? = nil
    ) {
        self.id = id
        self.at = at
        self.principalID = principalID
        self.principalName = principalName
        self.clientName = clientName
        self.clientVersion = clientVersion
        self.tool = tool
        self.datasetIDs = datasetIDs
        self.normalizedSQL = normalizedSQL
        self.fingerprint = fingerprint
        self.status = status
        self.errorCode = errorCode
        self.durationMs = durationMs
        self.rows = rows
        self.bytes = bytes
        self.cached = cached
        self.planID = planID
        self.promptHash = promptHash
        self.persona = persona
    }

    enum CodingKeys: String, CodingKey {
        case id, at, tool, status, rows, bytes, cached, persona, fingerprint
        case principalID = "principal_id"
        case principalName = "principal_name"
        case clientName = "client_name"
        case clientVersion = "client_version"
        case datasetIDs = "dataset_ids"
        case normalizedSQL = "normalized_sql"
        case errorCode = "error_code"
        case durationMs = "duration_ms"
        case planID = "plan_id"
        case promptHash = "prompt_hash"
    }
}

/// Which log entries to read back; all fields optional and combined with AND.
public struct QueryLogFilter: Sendable, Hashable {
    public var datasetID: String?
    public var principalID: String?
    public var status: QueryLogEntry.Status?
    public var since: Date?
    public var limit: Int

    public init(
        datasetID: String? = nil,
        principalID: String? = nil,
        status: QueryLogEntry.Status? = nil,
        since: Date? = nil,
        limit: Int = 100
    ) {
        self.datasetID = datasetID
        self.principalID = principalID
        self.status = status
        self.since = since
        self.limit = limit
    }
}
