import Hummingbird

/// Lets browser-based clients call the OAuth discovery documents and the token, registration and
/// revocation endpoints from any origin. These carry no cookies, so an open origin is safe; answers
/// preflights itself.
struct CORSMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let paths: Set<String> = Set(OAuthMetadataController.resourcePaths + OAuthMetadataController.serverPaths)
        .union(["/oauth/token", "/oauth/register", "/oauth/revoke"])

    static let headers: HTTPFields = [
        .accessControlAllowOrigin: "*",
        .accessControlAllowMethods: "GET, POST, OPTIONS",
        .accessControlAllowHeaders: "Authorization, Content-Type, MCP-Protocol-Version",
        .accessControlMaxAge: "600",
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.paths.contains(request.uri.path) else { return try await next(request, context) }
        if request.method == .options {
            return Response(status: .noContent, headers: Self.headers)
        }
        var response = try await next(request, context)
        response.headers.append(contentsOf: Self.headers)
        return response
    }
}
