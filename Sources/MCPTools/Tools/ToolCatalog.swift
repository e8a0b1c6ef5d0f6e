import AnalyticsCore
import Foundation
import MCP

/// The server's tools in their published order, and the `tools/list` pages built from them.
public struct ToolCatalog: Sendable {
    public let tools: [any AnalyticsTool]

    /// Builds a catalog of `tools` followed by `list_available_tools`, which describes them all.
    public init(tools: [any AnalyticsTool]) {
        var entries = tools.map { ListAvailableToolsTool.Entry(name: $0.name, title: $0.title, purpose: $0.summary) }
        let lister = ListAvailableToolsTool(entries: [])
        entries.append(.init(name: lister.name, title: lister.title, purpose: lister.summary))
        self.tools = tools + [ListAvailableToolsTool(entries: entries)]
    }

    /// Every tool of DESIGN §4 that this module provides.
    public static let standard = ToolCatalog(tools: [
        ListDatasetsTool(),
        SearchDatasetsTool(),
        DescribeDatasetTool(),
        ExecuteSQLTool(),
        RunQueryPlanTool(),
        WeightedBreakdownTool(),
        RecentQueriesTool(),
        SearchTool(),
        FetchTool(),
    ])

    public var names: [String] { self.tools.map(\.name) }

    public func tool(named name: String) -> (any AnalyticsTool)? {
        self.tools.first { $0.name == name }
    }

    /// One page of definitions; `cursor` is the opaque value of a previous page's `nextCursor`.
    /// A malformed cursor is a protocol fault (-32602), as the specification asks.
    public func page(cursor: String?, pageSize: Int, datasetIDs: [String]) throws -> ListTools.Result {
        let start: Int
        if let cursor {
            guard let offset = Self.offset(from: cursor), offset > 0, offset < self.tools.count else {
                throw MCPError.invalidParams("Invalid cursor '\(cursor)'. Start again without a cursor.")
            }
            start = offset
        } else {
            start = 0
        }
        let size = pageSize > 0 ? pageSize : self.tools.count
        let end = min(start + size, self.tools.count)
        let definitions = self.tools[start..<end].map { $0.definition(datasetIDs: datasetIDs) }
        return ListTools.Result(tools: definitions, nextCursor: end < self.tools.count ? Self.cursor(for: end) : nil)
    }

    static func cursor(for offset: Int) -> String {
        Data("tools:\(offset)".utf8).base64EncodedString()
    }

    static func offset(from cursor: String) -> Int? {
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8), text.hasPrefix("tools:") else { return nil }
        return Int(text.dropFirst("tools:".count))
    }
}
