import AnalyticsCore
import Foundation
import HTTPTypes
import Hummingbird

/// Header names and responses of the Streamable HTTP transport.
enum MCPHTTP {
    static let sessionID = HTTPField.Name("Mcp-Session-Id")!
    static let protocolVersion = HTTPField.Name("MCP-Protocol-Version")!
    static let eventStream = "text/event-stream"
    static let json = "application/json"

    /// JSON-RPC error codes used at the HTTP layer.
    enum Code {
        static let parseError = -32700
        static let invalidRequest = -32600
        static let requestCancelled = -32800
        /// `UNSUPPORTED_PROTOCOL_VERSION` (2026-07-28); the Python SDK falls back to `initialize` on it.
        static let unsupportedProtocolVersion = -32022
        static let sessionNotFound = -32001
        static let serverBusy = -32000
    }

    /// What the client's `Accept` header allows. No header, or `*/*`, allows both.
    struct Accept {
        var json: Bool
        var eventStream: Bool

        init(_ header: String?) {
            guard let header, !header.isEmpty else {
                (self.json, self.eventStream) = (true, true)
                return
            }
            let types = header.split(separator: ",").map {
                $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            }
            let any = types.contains("*/*")
            self.json = any || types.contains(MCPHTTP.json) || types.contains("application/*")
            self.eventStream = any || types.contains(MCPHTTP.eventStream) || types.contains("text/*")
        }
    }

    static func error(
        _ status: HTTPResponse.Status,
        code: Int,
        _ message: String,
        id: JSONValue? = nil,
        data: JSONValue? = nil,
        headers: HTTPFields = [:]
    ) -> Response {
        var error: [String: JSONValue] = ["code": .int(Int64(code)), "message": .string(message)]
        if let data { error["data"] = data }
        let body: JSONValue = ["jsonrpc": "2.0", "id": id ?? .null, "error": .object(error)]
        var fields: HTTPFields = [.contentType: MCPHTTP.json]
        fields.append(contentsOf: headers)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body.serializedData())))
    }
}
