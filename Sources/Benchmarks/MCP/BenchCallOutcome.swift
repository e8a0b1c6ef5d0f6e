import AnalyticsCore
import AnalyticsServer

/// How one measured call ended.
enum BenchCallOutcome: Sendable {
    case ok(cached: Bool)
    /// `code` is the server's stable error code when it gave one.
    case failed(code: ErrorCode?, message: String)

    /// Classifies an `execute_sql` tool result: `isError: true` is a failure with the error body's code and message.
    static func toolResult(_ result: JSONValue) -> BenchCallOutcome {
        if result["isError"]?.boolValue == true {
            let body = result["structuredContent"] ?? result["content"]?.arrayValue?.first?["text"]?.stringValue.flatMap { try? JSONValue.parse($0) }
            if let error = body?["error"], let code = error["code"]?.stringValue {
                return .failed(code: ErrorCode(rawValue: code), message: "tool error \(code): \(error["message"]?.stringValue ?? "")")
            }
            return .failed(code: nil, message: "tool error: \(result.serialized().prefix(300))")
        }
        if let failed = result["structuredContent"]?["steps"]?.arrayValue?.first(where: { $0["status"]?.stringValue != "ok" }) {
            return .failed(code: nil, message: "plan step \(failed["id"]?.stringValue ?? "?"): \(failed["error"]?.serialized() ?? "not ok")")
        }
        return .ok(cached: result["structuredContent"]?["cached"]?.boolValue == true)
    }

    /// Classifies a `POST /api/query` answer.
    static func rest(_ reply: BenchHTTP.Reply) -> BenchCallOutcome {
        guard reply.isSuccess else { return .failed(code: reply.errorCode, message: reply.errorSummary) }
        guard let json = reply.json, json["rows"] != nil else {
            return .failed(code: nil, message: "not a query result: \(reply.body.prefix(200))")
        }
        return .ok(cached: json["cached"]?.boolValue == true)
    }

    /// Classifies a `POST /api/plans` answer: every step must have succeeded.
    static func plan(_ reply: BenchHTTP.Reply) -> BenchCallOutcome {
        guard reply.isSuccess else { return .failed(code: reply.errorCode, message: reply.errorSummary) }
        guard let steps = reply.json?["steps"]?.arrayValue else {
            return .failed(code: nil, message: "not a plan result: \(reply.body.prefix(200))")
        }
        if let failed = steps.first(where: { $0["status"]?.stringValue != "ok" }) {
            return .failed(code: nil, message: "step \(failed["id"]?.stringValue ?? "?"): \(failed["error"]?.serialized() ?? "not ok")")
        }
        return .ok(cached: false)
    }

    /// A transport failure: no answer at all.
    static func unreachable(_ error: any Error) -> BenchCallOutcome {
        .failed(code: nil, message: "\(error)")
    }
}
