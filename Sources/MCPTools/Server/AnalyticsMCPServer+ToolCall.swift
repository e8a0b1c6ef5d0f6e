import AnalyticsCore
import Foundation
import MCP

extension AnalyticsMCPServer {
    /// Answers a `tools/call` request that needs no streaming without the SDK's request decoding.
    ///
    /// Profiling the release server showed the SDK spending a quarter of the server's CPU on each
    /// request decoding it twice into its `Value` type and matching every string against a data-URL
    /// regular expression. The transport has already parsed the message with the server's own JSON
    /// parser, so the call goes straight to the dispatcher; the response says what the SDK's would
    /// (a test holds the two together).
    ///
    /// - Returns: the JSON-RPC response, or nil when the call was cancelled (no response is sent
    ///   then, as the specification asks), or when `id` is not one the SDK could answer.
    public func toolCallResponse(id: JSONValue?, params: JSONValue?, session: MCPSessionState) async -> Data? {
        guard let id = Self.requestID(id) else { return nil }
        let result: CallTool.Result
        do {
            guard let name = params?["name"]?.stringValue else { throw MCPError.invalidParams("tools/call needs params.name.") }
            let arguments = params?["arguments"]
            guard arguments == nil || arguments == .null || arguments?.objectValue != nil else {
                throw MCPError.invalidParams("tools/call params.arguments must be an object.")
            }
            result = try await self.dispatcher.call(
                name,
                values: arguments?.objectValue ?? [:],
                caller: session.caller(tool: name),
                progress: nil
            )
        } catch is CancellationError {
            return nil
        } catch {
            return Self.encoded(Response(id: id, error: error as? MCPError ?? MCPError.internalError(error.localizedDescription)))
        }
        if let document = Self.document(result, id: id) { return Data(document.serialized().utf8) }
        return Self.encoded(Response(id: id, result: result))
    }

    /// The JSON-RPC response of a result made of text content, as the SDK's `Codable` types write it
    /// (`content`, then `structuredContent` and `isError` when present), built with the server's own
    /// JSON writer — the SDK's `JSONEncoder` was the next largest cost after request decoding. Any
    /// other content kind is left to the SDK's encoder.
    static func document(_ result: CallTool.Result, id: ID) -> JSONValue? {
        guard result._meta == nil else { return nil }
        var content: [JSONValue] = []
        for item in result.content {
            guard case .text(let text, nil, nil) = item else { return nil }
            content.append(["type": "text", "text": .string(text)])
        }
        var body: [String: JSONValue] = ["content": .array(content)]
        if let structured = result.structuredContent { body["structuredContent"] = JSONValue(mcp: structured) }
        if let isError = result.isError { body["isError"] = .bool(isError) }
        let rawID: JSONValue =
            switch id {
            case .string(let text): .string(text)
            case .number(let number): .int(Int64(number))
            }
        return ["jsonrpc": "2.0", "id": rawID, "result": .object(body)]
    }

    static func encoded(_ response: Response<CallTool>) -> Data? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try? encoder.encode(response)
    }

    /// The SDK's request id for a JSON-RPC id: a string or an integer.
    public static func requestID(_ id: JSONValue?) -> ID? {
        switch id {
        case .string(let text)?: .string(text)
        case .int(let number)?: .number(Int(number))
        default: nil
        }
    }
}
