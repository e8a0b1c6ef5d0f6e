import AnalyticsCore
import Foundation
import Logging
import MCP
import MetadataStore

/// Runs `tools/call`: finds the tool, gives it the caller's context, turns failures into error
/// results, and audits calls the engine does not log itself.
public struct ToolDispatcher: Sendable {
    public let catalog: ToolCatalog
    public let environment: ToolEnvironment

    public init(catalog: ToolCatalog = .standard, environment: ToolEnvironment) {
        self.catalog = catalog
        self.environment = environment
    }

    /// The result of one call. Throws only protocol faults: an unknown tool (-32602 listing the
    /// valid ones) or cancellation; every business or input failure is an `isError` result.
    public func call(
        _ name: String,
        arguments: [String: Value]?,
        caller: CallerContext,
        progress: ProgressReporter?
    ) async throws -> CallTool.Result {
        try await self.call(name, values: (arguments ?? [:]).mapValues(JSONValue.init(mcp:)), caller: caller, progress: progress)
    }

    /// ``call(_:arguments:caller:progress:)`` with arguments already in the server's JSON type, as
    /// the HTTP transport's `tools/call` path reads them (without the SDK's decoding).
    public func call(
        _ name: String,
        values: [String: JSONValue],
        caller: CallerContext,
        progress: ProgressReporter?
    ) async throws -> CallTool.Result {
        guard let tool = self.catalog.tool(named: name) else {
            throw MCPError.invalidParams("Unknown tool '\(name)'. Valid tools: \(self.catalog.names.joined(separator: ", ")).")
        }
        var caller = caller
        caller.tool = name
        var audit = ToolCallAudit(tool: tool, caller: caller, requested: Self.requestedDatasets(values), recorder: self.environment.recorder)
        do {
            let active = try await self.environment.catalog.activeDatasets(for: caller.principal)
            let context = ToolCallContext(caller: caller, environment: self.environment, active: active, progress: progress)
            audit.context = context
            let output = try await tool.call(ToolArguments(tool: name, values: values), context: context)
            audit.succeeded(output)
            return output.callResult
        } catch is CancellationError {
            audit.failed(ErrorCode.queryCancelled)
            throw CancellationError()
        } catch let error as AnalyticsError {
            audit.failed(error.code)
            return error.toolResult
        } catch {
            self.environment.logger.error(
                "tool failed unexpectedly",
                metadata: ["mcpa.tool": "\(name)", "mcpa.error.type": "\(type(of: error))"]
            )
            let failure = AnalyticsError.internalError()
            audit.failed(failure.code)
            return failure.toolResult
        }
    }

    /// Dataset ids named in the arguments, for auditing a failed call.
    static func requestedDatasets(_ values: [String: JSONValue]) -> [String] {
        var ids: Set<String> = []
        if let id = values["dataset_id"]?.stringValue { ids.insert(id) }
        for step in values["plan"]?["queries"]?.arrayValue ?? [] {
            if let id = step["dataset_id"]?.stringValue { ids.insert(id) }
        }
        return ids.sorted()
    }
}
