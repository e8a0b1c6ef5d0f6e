import AnalyticsCore
import AnalyticsServer
import AsyncHTTPClient
import NIOCore

/// The benchmark's HTTP side: one shared `HTTPClient`, the server's base URL and the bearer token.
struct BenchHTTP: Sendable {
    /// One answer, its body read in full.
    struct Reply: Sendable {
        var status: UInt
        var contentType: String?
        var sessionID: String?
        var body: String
        /// From sending the request to having read the body.
        var elapsed: Duration

        var isSuccess: Bool { (200..<300).contains(self.status) }
        var json: JSONValue? { try? JSONValue.parse(self.body) }

        /// The stable code of a REST error body, when there is one.
        var errorCode: ErrorCode? { self.json?["error"]?["code"]?.stringValue.flatMap(ErrorCode.init(rawValue:)) }

        /// The message of a REST error body (`{"error": {"code", "message"}}`) or a JSON-RPC error.
        var errorSummary: String {
            if let error = self.json?["error"] {
                let code = error["code"].map { $0.stringValue ?? $0.intValue.map(String.init) ?? "" } ?? ""
                let message = error["message"]?.stringValue ?? ""
                return "HTTP \(self.status) \(code): \(message)"
            }
            return "HTTP \(self.status): \(self.body.prefix(200))"
        }
    }

    /// The request never got an answer (refused, reset, timed out).
    struct TransportFailure: Error, CustomStringConvertible {
        var description: String
    }

    let client: HTTPClient
    let baseURL: String
    let token: String
    let timeout: Duration

    /// Largest body the benchmark reads; its answers are a few hundred bytes.
    static let maxBody = 16 << 20

    /// The methods the benchmark sends.
    enum Method: String, Sendable {
        case post = "POST"
        case delete = "DELETE"
    }

    func send(_ method: Method, _ path: String, body: String? = nil, headers: [(String, String)] = []) async throws -> Reply {
        var request = HTTPClientRequest(url: self.baseURL + path)
        switch method {
        case .post: request.method = .POST
        case .delete: request.method = .DELETE
        }
        request.headers.add(name: "Authorization", value: "Bearer \(self.token)")
        request.headers.add(name: "User-Agent", value: MCPBenchmark.clientName)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let start = ContinuousClock.now
        do {
            let response = try await self.client.execute(request, timeout: TimeAmount(self.timeout))
            let buffer = try await response.body.collect(upTo: Self.maxBody)
            return Reply(
                status: response.status.code,
                contentType: response.headers.first(name: "Content-Type"),
                sessionID: response.headers.first(name: "Mcp-Session-Id"),
                body: String(buffer: buffer),
                elapsed: ContinuousClock.now - start
            )
        } catch {
            throw TransportFailure(description: "\(method.rawValue) \(path): \(String(describing: error).prefix(300))")
        }
    }

    /// Turns a failed set-up exchange into a coded error: the run cannot be measured.
    func setupError(_ reply: Reply, doing what: String) -> AnalyticsError {
        let detail = reply.errorSummary
        switch reply.status {
        case 401:
            return AnalyticsError(
                .unauthenticated,
                "The server refused the bearer token while \(what) (\(detail)).",
                hint: MCPBenchmark.Options.tokenHint
            )
        case 403:
            return AnalyticsError(.accessDenied, "The token may not do this while \(what) (\(detail)).", hint: "Use an analyst or admin token.")
        case 404:
            return AnalyticsError(
                .notFound,
                "Nothing answers at \(self.baseURL) while \(what) (\(detail)).",
                hint: "Pass the server's base URL, e.g. --url http://127.0.0.1:8080"
            )
        default:
            return AnalyticsError(
                .connectionFailed,
                "The server at \(self.baseURL) failed while \(what) (\(detail)).",
                hint: "Check that it is an mcp-analytics server and read its log."
            )
        }
    }

    func unreachable(_ failure: TransportFailure, doing what: String) -> AnalyticsError {
        AnalyticsError(
            .connectionFailed,
            "Cannot reach \(self.baseURL) while \(what): \(failure.description)",
            hint: "Check the URL and that the server is running (mcp-analytics serve)."
        )
    }
}
