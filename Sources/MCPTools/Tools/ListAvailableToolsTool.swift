import AnalyticsCore

/// `list_available_tools`: every tool's name and purpose in one short answer (also what a client
/// is told when it calls a tool that does not exist).
struct ListAvailableToolsTool: AnalyticsTool {
    struct Entry: Sendable {
        var name: String
        var title: String
        var purpose: String
    }

    let name = "list_available_tools"
    let title = "List tools"
    let summary = "Names and one-line purposes of all tools."
    let outputSchema = JSONSchema.output("tools")
    let entries: [Entry]

    func inputSchema(datasetIDs: [String]) -> JSONValue {
        JSONSchema.object([:])
    }

    func call(_ arguments: ToolArguments, context: ToolCallContext) async throws -> ToolOutput {
        try arguments.requireOnly([])
        let tools: [JSONValue] = self.entries.map { ["name": .string($0.name), "title": .string($0.title), "purpose": .string($0.purpose)] }
        let lines = self.entries.map { "- \($0.name): \($0.purpose)" }
        return ToolOutput(structured: ["tools": .array(tools)], text: lines.joined(separator: "\n"), rows: tools.count)
    }
}
