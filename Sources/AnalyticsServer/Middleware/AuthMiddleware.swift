import AnalyticsCore
import Hummingbird

/// Requires `Authorization: Bearer <token>` and puts the caller into the context.
///
/// With auth disabled (only possible on a loopback host) every request runs as the local operator.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let authenticator: TokenAuthenticator
    let disabled: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if self.disabled {
            context.principal = .localOperator
            return try await next(request, context)
        }
        guard let header = request.headers[.authorization] else {
            throw AnalyticsError(
                .unauthenticated,
                "This route needs a bearer token.",
                hint: "Send Authorization: Bearer <token>; create one with `mcp-analytics tokens create`."
            )
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].trimmingCharacters(in: .whitespaces).isEmpty else {
            throw AnalyticsError(.unauthenticated, "The Authorization header must be 'Bearer <token>'.", hint: "Send Authorization: Bearer <token>.")
        }
        context.principal = try await self.authenticator.authenticate(token: String(parts[1]).trimmingCharacters(in: .whitespaces))
        context.logger[metadataKey: "mcpa.principal"] = "\(context.principal!.name)"
        return try await next(request, context)
    }
}
