import AnalyticsCore
import Hummingbird
import Identity

/// Requires `Authorization: Bearer <token>` on `/api` and puts the caller into the context. Only API
/// tokens are accepted here: OAuth access tokens are minted for the MCP resource alone.
///
/// With auth disabled (only possible on a loopback host) every request runs as the local operator.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let authenticator: CredentialAuthenticator
    let disabled: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if self.disabled {
            context.principal = .localOperator
            return try await next(request, context)
        }
        let token = try BearerToken.from(request)
        context.principal = try await self.authenticator.authenticate(token: token, resource: nil)
        context.logger[metadataKey: "mcpa.principal"] = "\(context.principal!.id)"
        return try await next(request, context)
    }
}

/// The bearer token of a request.
enum BearerToken {
    static func from(_ request: Request) throws -> String {
        guard let header = request.headers[.authorization] else {
            throw AnalyticsError(
                .unauthenticated,
                "This route needs a bearer token.",
                hint: "Send Authorization: Bearer <token>; create one with `mcp-analytics tokens create`."
            )
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        let token = parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        guard parts.count == 2, parts[0].lowercased() == "bearer", !token.isEmpty else {
            throw AnalyticsError(.unauthenticated, "The Authorization header must be 'Bearer <token>'.", hint: "Send Authorization: Bearer <token>.")
        }
        return token
    }
}
