import AnalyticsCore
import Hummingbird
import Logging

/// Turns every failure into the stable error body `{"error": {"code", "message", "hint"}}`.
///
/// `AnalyticsError`s go out as they are; anything else is a server fault: it is logged with the request
/// id and the client gets `INTERNAL_ERROR` without internals. Unknown routes, which the router answers
/// itself, get a coded `NOT_FOUND` body too.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            // Only the router's own answer for an unmatched route (no endpoint recorded); a handler's
            // deliberate 404/405 (e.g. an unknown MCP session) keeps its body.
            if response.status == .notFound || response.status == .methodNotAllowed, context.endpointPath == nil {
                return APIResponse.error(Self.noRoute(request))
            }
            return response
        } catch let error as AnalyticsError {
            if error.httpStatus >= 500 {
                context.logger.error("request failed", metadata: ["mcpa.error.code": "\(error.code)"])
            }
            var headers: HTTPFields = [:]
            if error.code == .unauthenticated {
                headers[.wwwAuthenticate] = #"Bearer realm="mcp-analytics""#
            }
            return APIResponse.error(error, headers: headers)
        } catch let error as any HTTPResponseError {
            if error.status == .notFound || error.status == .methodNotAllowed {
                return APIResponse.error(Self.noRoute(request))
            }
            return APIResponse.error(
                AnalyticsError(
                    .invalidRequest,
                    "The request could not be processed (HTTP \(error.status.code)).",
                    hint: "Check the method, path and body."
                )
            )
        } catch {
            context.logger.error("unhandled error", metadata: ["mcpa.error.type": "\(type(of: error))"])
            return APIResponse.error(.internalError())
        }
    }

    static func noRoute(_ request: Request) -> AnalyticsError {
        AnalyticsError(
            .notFound,
            "No route for \(request.method.rawValue) \(request.uri.path).",
            hint: "See /openapi.json for the routes this server offers."
        )
    }
}
