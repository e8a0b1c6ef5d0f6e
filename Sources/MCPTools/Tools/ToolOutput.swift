import AnalyticsCore
import MCP

/// What a tool returns: a structured document (matching its output schema) and a compact text
/// rendering of the same facts for clients that only read text content.
public struct ToolOutput: Sendable {
    public var structured: JSONValue
    public var text: String
    /// Rows the result carries, for the query log.
    public var rows: Int
    /// Dataset ids the call touched, for the query log.
    public var datasetIDs: [String]

    public init(structured: JSONValue, text: String, rows: Int = 0, datasetIDs: [String] = []) {
        self.structured = structured
        self.text = text
        self.rows = rows
        self.datasetIDs = datasetIDs
    }

    /// A result whose text item is the structured document as JSON (what ChatGPT connectors expect).
    public static func json(_ structured: JSONValue, datasetIDs: [String] = []) -> ToolOutput {
        ToolOutput(structured: structured, text: structured.serialized(), datasetIDs: datasetIDs)
    }

    public var callResult: CallTool.Result {
        let structured: Value? = self.structured.mcpValue
        return CallTool.Result(content: [.text(text: self.text, annotations: nil, _meta: nil)], structuredContent: structured)
    }
}

extension AnalyticsError {
    /// A tool error result: `isError: true` with the stable body `{"error": {"code", "message", "hint"}}`.
    public var toolResult: CallTool.Result {
        let body = self.body
        let structured: Value? = body.mcpValue
        return CallTool.Result(content: [.text(text: body.serialized(), annotations: nil, _meta: nil)], structuredContent: structured, isError: true)
    }
}
