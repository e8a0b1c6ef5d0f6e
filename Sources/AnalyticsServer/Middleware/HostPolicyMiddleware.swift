import AnalyticsCore
import Hummingbird

/// Refuses requests whose `Host` or `Origin` the ``MCPOriginPolicy`` does not allow (403), on every
/// route and before authentication: a web page the operator visits must not reach the server
/// through a rebound DNS name, whether it targets `/mcp`, `/api` or the sign-in pages.
///
/// Paths in ``corsPaths`` are meant for cross-origin callers (OAuth metadata and the token,
/// registration and revocation endpoints, which carry no cookies): their `Origin` is not checked.
struct HostPolicyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let policy: MCPOriginPolicy
    let corsPaths: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let origin = self.corsPaths.contains(path) ? nil : request.headers[.origin]
        switch self.policy.check(host: request.head.authority, origin: origin) {
        case nil:
            return try await next(request, context)
        case .host(let host):
            context.logger.notice("request refused: Host not allowed", metadata: ["mcpa.host": "\(host)"])
            return Self.refusal(path: path, "Forbidden: Host '\(host)' is not allowed. Start the server with --mcp-allowed-hosts including it.")
        case .origin(let origin):
            context.logger.notice("request refused: Origin not allowed", metadata: ["mcpa.origin": "\(origin)"])
            return Self.refusal(
                path: path,
                "Forbidden: Origin '\(origin)' is not allowed. Start the server with --mcp-allowed-origins including it."
            )
        }
    }

    /// A JSON-RPC error on `/mcp` (what MCP clients parse), the coded error body elsewhere.
    static func refusal(path: String, _ message: String) -> Response {
        if path == "/mcp" {
            return MCPHTTP.error(.forbidden, code: MCPHTTP.Code.invalidRequest, message)
        }
        return APIResponse.error(
            AnalyticsError(
                .forbiddenHost,
                message,
                hint: "Reach the server by its configured name; browsers on other sites may not call it."
            )
        )
    }
}
