import AnalyticsCore
import AnalyticsServer
import AsyncHTTPClient
import Foundation

/// One MCP session over Streamable HTTP, as a client drives it: `initialize`,
/// `notifications/initialized`, then `tools/call`s carrying the session id and the negotiated
/// protocol version, and `DELETE` at the end.
struct MCPBenchSession: Sendable {
    let http: BenchHTTP
    let sessionID: String
    let protocolVersion: String

    static let path = "/mcp"
    static let accept = ("Accept", "application/json, text/event-stream")
    static let requestedVersion = "2025-11-25"

    /// Opens a session; any failure is a coded error, since nothing can be measured without one.
    static func open(_ http: BenchHTTP) async throws -> MCPBenchSession {
        let initialize: JSONValue = [
            "jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": [
                "protocolVersion": .string(Self.requestedVersion),
                "capabilities": [:],
                "clientInfo": ["name": .string(MCPBenchmark.clientName), "version": .string(MCPBenchmark.clientVersion)],
            ],
        ]
        let doing = "opening an MCP session"
        let reply: BenchHTTP.Reply
        do {
            reply = try await http.send(.post, Self.path, body: initialize.serialized(), headers: [Self.accept])
        } catch let failure as BenchHTTP.TransportFailure {
            throw http.unreachable(failure, doing: doing)
        }
        guard reply.isSuccess else { throw http.setupError(reply, doing: doing) }
        guard let message = Self.response(in: reply, id: 0), let result = message["result"] else {
            throw AnalyticsError(
                .connectionFailed,
                "The server at \(http.baseURL) did not answer initialize as an MCP server: \(reply.body.prefix(200))",
                hint: "Check the URL: the benchmark speaks to <url>/mcp."
            )
        }
        guard let sessionID = reply.sessionID, !sessionID.isEmpty else {
            throw AnalyticsError(
                .connectionFailed,
                "The MCP server at \(http.baseURL) returned no Mcp-Session-Id.",
                hint: "The benchmark needs the stateful transport; start the server without its stateless mode."
            )
        }
        let version = result["protocolVersion"]?.stringValue ?? Self.requestedVersion
        let session = MCPBenchSession(http: http, sessionID: sessionID, protocolVersion: version)
        let initialized: JSONValue = ["jsonrpc": "2.0", "method": "notifications/initialized"]
        do {
            let ack = try await http.send(.post, Self.path, body: initialized.serialized(), headers: session.headers)
            guard ack.isSuccess else { throw http.setupError(ack, doing: "completing the MCP handshake") }
        } catch let failure as BenchHTTP.TransportFailure {
            throw http.unreachable(failure, doing: "completing the MCP handshake")
        }
        return session
    }

    var headers: [(String, String)] {
        [Self.accept, ("Mcp-Session-Id", self.sessionID), ("MCP-Protocol-Version", self.protocolVersion)]
    }

    /// One `tools/call execute_sql`; returns the outcome and the exchange's latency.
    func executeSQL(_ sql: String, datasetID: String, id: Int) async -> (BenchCallOutcome, Duration?) {
        await self.callTool("execute_sql", arguments: ["dataset_id": .string(datasetID), "sql": .string(sql)], id: id)
    }

    /// One `tools/call`; returns the outcome and the exchange's latency (progress notifications
    /// streamed before the response included).
    func callTool(_ name: String, arguments: JSONValue, id: Int) async -> (BenchCallOutcome, Duration?) {
        let call: JSONValue = [
            "jsonrpc": "2.0", "id": .int(Int64(id)), "method": "tools/call",
            "params": ["name": .string(name), "arguments": arguments],
        ]
        let reply: BenchHTTP.Reply
        do {
            reply = try await self.http.send(.post, Self.path, body: call.serialized(), headers: self.headers)
        } catch {
            return (.unreachable(error), nil)
        }
        guard reply.isSuccess else { return (.failed(code: reply.errorCode, message: reply.errorSummary), reply.elapsed) }
        guard let message = Self.response(in: reply, id: Int64(id)) else {
            return (.failed(code: nil, message: "no JSON-RPC response for id \(id): \(reply.body.prefix(200))"), reply.elapsed)
        }
        if let error = message["error"] {
            let code = error["code"]?.intValue.map(String.init) ?? "?"
            return (.failed(code: nil, message: "JSON-RPC error \(code): \(error["message"]?.stringValue ?? "")"), reply.elapsed)
        }
        guard let result = message["result"] else { return (.failed(code: nil, message: "response without a result"), reply.elapsed) }
        return (BenchCallOutcome.toolResult(result), reply.elapsed)
    }

    /// Ends the session; a failure here changes no figure, so it is ignored.
    func close() async {
        _ = try? await self.http.send(.delete, Self.path, headers: self.headers)
    }

    /// The JSON-RPC response with `id` in a plain JSON body or in the `data:` lines of an SSE body.
    static func response(in reply: BenchHTTP.Reply, id: Int64) -> JSONValue? {
        let isStream = reply.contentType?.lowercased().hasPrefix("text/event-stream") == true
        let candidates: [JSONValue]
        if isStream {
            candidates = reply.body.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).compactMap { line in
                guard line.hasPrefix("data:") else { return nil }
                return try? JSONValue.parse(String(line.dropFirst(5)).trimmingCharacters(in: .whitespaces))
            }
        } else {
            candidates = reply.json.map { [$0] } ?? []
        }
        return candidates.first { $0["id"]?.intValue == id && ($0["result"] != nil || $0["error"] != nil) }
    }
}
