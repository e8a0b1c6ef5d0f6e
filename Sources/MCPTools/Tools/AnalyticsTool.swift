import AnalyticsCore
import MCP

/// One MCP tool: its published definition and its handler.
///
/// Definitions are built per `tools/list` because `dataset_id` is an enum of the active datasets.
/// Every tool is read-only, never destructive and works in a closed world (the registered datasets).
public protocol AnalyticsTool: Sendable {
    var name: String { get }
    var title: String { get }
    /// The one-line purpose shown to the model; keep it short (the whole list has a token budget).
    var summary: String { get }
    var outputSchema: JSONValue { get }
    /// Whether the query engine writes this tool's query-log entries itself (SQL executions).
    var engineLogsCalls: Bool { get }
    func inputSchema(datasetIDs: [String]) -> JSONValue
    func call(_ arguments: ToolArguments, context: ToolCallContext) async throws -> ToolOutput
}

extension AnalyticsTool {
    public var engineLogsCalls: Bool { false }

    /// The SDK definition with the standard annotations.
    public func definition(datasetIDs: [String]) -> Tool {
        Tool(
            name: self.name,
            title: self.title,
            description: self.summary,
            inputSchema: self.inputSchema(datasetIDs: datasetIDs).mcpValue,
            annotations: .init(readOnlyHint: true, destructiveHint: false, openWorldHint: false),
            outputSchema: self.outputSchema.mcpValue
        )
    }
}
