import AnalyticsCore
import DataPlane
import Foundation
import Hummingbird
import MetadataStore

/// Guarded queries, query plans and the query log over HTTP (DESIGN §4): the same engine, guards
/// and error codes as the MCP tools.
struct QueryController {
    let engine: QueryEngine
    let queryLog: any QueryLogStore

    /// Longest a `GET /api/queries` waits for this replica's queued log entries to be written, so
    /// a caller sees the queries it just ran.
    static let readYourWritesWait: Duration = .seconds(1)

    func addRoutes(to api: RouteBuilder) {
        api.on(.post, "/query") { request, context in
            let body = try await request.decodeJSON(
                as: QueryRequest.self,
                allowedKeys: QueryRequest.CodingKeys.allCases.map(\.rawValue),
                context: context
            )
            let caller = try Self.caller(request, context, tool: "POST /api/query")
            return try APIResponse.json(try await self.engine.execute(body, caller: caller))
        }
        api.on(.post, "/plans") { request, context in
            let body = try await request.decodeJSON(
                as: PlanBody.self,
                allowedKeys: QueryPlan.CodingKeys.allCases.map(\.rawValue),
                context: context
            )
            let caller = try Self.caller(request, context, tool: "POST /api/plans")
            let plan = QueryPlan(queries: body.queries.map(\.step), deadlineMs: body.deadlineMs)
            return try APIResponse.json(try await self.engine.runPlan(plan, caller: caller) { _ in })
        }
        api.on(.get, "/queries") { request, context in
            try context.requirePrincipal().require(.readQueryLog)
            let filter = try Self.filter(request.uri.queryParameters)
            _ = await self.engine.queryLog.flush(within: Self.readYourWritesWait)
            return try APIResponse.json(QueryLogPage(queries: try await self.queryLog.queryLog(filter)))
        }
    }

    static func caller(_ request: Request, _ context: AppRequestContext, tool: String) throws -> CallerContext {
        let agent = request.headers[.userAgent].map { String($0.prefix(200)) }
        return CallerContext(principal: try context.requirePrincipal(), clientName: agent, tool: tool)
    }

    static func filter(_ parameters: Parameters) throws -> QueryLogFilter {
        var filter = QueryLogFilter()
        filter.datasetID = parameters["dataset_id"].map(String.init)
        filter.principalID = parameters["principal"].map(String.init)
        if let status = parameters["status"] {
            guard let value = QueryLogEntry.Status(rawValue: String(status)) else {
                throw AnalyticsError.invalidRequest("Unknown status '\(status)'.", hint: "Use ok or error.")
            }
            filter.status = value
        }
        if let since = parameters["since"] {
            guard let date = Self.date(String(since)) else {
                throw AnalyticsError.invalidRequest(
                    "since '\(since)' is not an ISO-8601 time.",
                    hint: "Use e.g. 2026-01-31T09:00:00Z or 2026-01-31."
                )
            }
            filter.since = date
        }
        if let limit = parameters["limit"] {
            guard let value = Int(limit), (1...1_000).contains(value) else {
                throw AnalyticsError.invalidRequest("limit must be an integer from 1 to 1000, got '\(limit)'.", hint: "The default is 100.")
            }
            filter.limit = value
        }
        return filter
    }

    static func date(_ text: String) -> Date? {
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime], [.withFullDate]] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}

/// `GET /api/queries` answer.
struct QueryLogPage: Encodable {
    var queries: [QueryLogEntry]
}

/// `POST /api/plans` body: a ``QueryPlan`` whose steps refuse unknown fields too, so a typo in a
/// step (`"sqll"`) is an error rather than a step silently missing its SQL.
struct PlanBody: Decodable {
    var queries: [StrictPlanStep]
    var deadlineMs: Int?

    enum CodingKeys: String, CodingKey {
        case queries
        case deadlineMs = "deadline_ms"
    }
}

struct StrictPlanStep: Decodable {
    var step: PlanStep

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let allowed = PlanStep.CodingKeys.allCases.map(\.rawValue)
        let keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        if let unknown = keys.sorted().first(where: { !allowed.contains($0) }) {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "unknown field '\(unknown)'; allowed: \(allowed.sorted().joined(separator: ", "))"
                )
            )
        }
        self.step = try PlanStep(from: decoder)
    }
}
