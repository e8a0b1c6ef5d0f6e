import Hummingbird

/// Refuses `/mcp` requests whose `Host` or `Origin` the ``MCPOriginPolicy`` does not allow (403),
/// before authentication, as the MCP specification asks.
struct MCPOriginMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let policy: MCPOriginPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let host = request.head.authority
        switch self.policy.check(host: host, origin: request.headers[.origin]) {
        case nil:
            return try await next(request, context)
        case .host(let host):
            context.logger.notice("MCP request refused: Host not allowed", metadata: ["mcpa.host": "\(host)"])
            return MCPHTTP.error(
                .forbidden,
                code: MCPHTTP.Code.invalidRequest,
                "Forbidden: Host '\(host)' is not allowed. Start the server with --mcp-allowed-hosts including it."
            )
        case .origin(let origin):
            context.logger.notice("MCP request refused: Origin not allowed", metadata: ["mcpa.origin": "\(origin)"])
            return MCPHTTP.error(
                .forbidden,
                code: MCPHTTP.Code.invalidRequest,
                "Forbidden: Origin '\(origin)' is not allowed. Start the server with --mcp-allowed-origins including it."
            )
        }
    }
}
