import AnalyticsCore
import MCP
import Synchronization

/// Who is on the other end of one MCP session: the authenticated principal (fixed for the
/// session's life) and the client's name and version once it has sent `initialize`.
public final class MCPSessionState: Sendable {
    public let id: String
    public let principal: Principal
    let client: Mutex<Client.Info?>

    public init(id: String, principal: Principal) {
        self.id = id
        self.principal = principal
        self.client = Mutex(nil)
    }

    public var clientInfo: Client.Info? {
        self.client.withLock { $0 }
    }

    func initialized(with info: Client.Info) {
        self.client.withLock { $0 = info }
    }

    /// The caller of one tool call, for authorisation and the query log.
    func caller(tool: String) -> CallerContext {
        let info = self.clientInfo
        return CallerContext(principal: self.principal, clientName: info?.name, clientVersion: info?.version, tool: tool)
    }
}
