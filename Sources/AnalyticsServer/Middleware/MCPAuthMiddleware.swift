import AnalyticsCore
import Hummingbird
import Identity

/// Authenticates `/mcp` before the MCP transport sees the request (MCP authorization 2025-11-25):
/// API tokens, or OAuth access tokens whose audience is exactly this server's MCP resource.
///
/// A missing, unknown, expired or wrong-audience token answers 401 with a `WWW-Authenticate`
/// challenge naming the protected resource metadata, which is how connectors discover where to
/// sign in; it is never a 200 wrapping an auth error.
struct MCPAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let authenticator: CredentialAuthenticator
    let configuration: ServerConfiguration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let endpoints = self.configuration.oauthEndpoints(requestHost: request.head.authority)
        context.oauthEndpoints = endpoints
        if self.configuration.noAuth {
            context.principal = .localOperator
            return try await next(request, context)
        }
        do {
            let token = try BearerToken.from(request)
            context.principal = try await self.authenticator.authenticate(token: token, resource: endpoints)
        } catch let error as AnalyticsError where error.code == .unauthenticated {
            let hasToken = request.headers[.authorization] != nil
            context.logger.info("MCP request unauthenticated", metadata: ["mcpa.auth.reason": "\(error.message)"])
            return APIResponse.error(error, headers: [.wwwAuthenticate: Self.challenge(endpoints, invalidToken: hasToken)])
        }
        context.logger[metadataKey: "mcpa.principal"] = "\(context.principal!.id)"
        return try await next(request, context)
    }

    /// RFC 6750 §3 / RFC 9728 §5.1 challenge.
    static func challenge(_ endpoints: OAuthEndpoints, invalidToken: Bool = false, insufficientScope: String? = nil) -> String {
        var parts: [String] = []
        if let scope = insufficientScope {
            parts.append(#"error="insufficient_scope""#)
            parts.append(#"scope="\#(scope)""#)
        } else {
            if invalidToken { parts.append(#"error="invalid_token""#) }
            parts.append(#"scope="\#(OAuthScope.all.joined(separator: " "))""#)
        }
        parts.append(#"resource_metadata="\#(endpoints.resourceMetadata)""#)
        return "Bearer " + parts.joined(separator: ", ")
    }
}
