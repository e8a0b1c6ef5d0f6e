import AnalyticsCore
import MCP
import MCPTools

/// One Streamable HTTP session: the SDK server, its transport, and the principal that opened it.
final class MCPHTTPSession: Sendable {
    let state: MCPSessionState
    let transport: MCPHTTPTransport
    let server: Server

    init(state: MCPSessionState, transport: MCPHTTPTransport, server: Server) {
        self.state = state
        self.transport = transport
        self.server = server
    }

    var id: String { self.state.id }

    /// A session answers only the principal that opened it; anyone else is told it does not exist.
    func belongs(to principal: Principal) -> Bool {
        self.state.principal.id == principal.id
    }

    func close() {
        self.transport.close()
    }
}
