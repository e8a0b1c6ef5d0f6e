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
        guard let tool = self.catalog.tool(named: name) else {
            throw MCPError.invalidParams("Unknown tool '\(name)'. Valid tools: \(self.catalog.names.joined(separator: ", ")).")
        }
        var caller = caller
        caller.tool = name
        let started = ContinuousClock.now
        let values = (arguments ?? [:]).mapValues(JSONValue.init(mcp:))
        var context: ToolCallContext?
        do {
            let active = try await self.environment.catalog.activeDatasets(for: caller.principal)
            let callContext = ToolCallContext(caller: caller, environment: self.environment, active: active, progress: progress)
            context = callContext
            let output = try await tool.call(ToolArguments(tool: name, values: values), context: callContext)
            let result = output.callResult
            self.audit(tool, context, caller, started, .ok, nil, output.datasetIDs, rows: output.rows, bytes: output.text.utf8.count)
            return result
        } catch is CancellationError {
            self.audit(tool, context, caller, started, .error, ErrorCode.queryCancelled.rawValue, Self.requestedDatasets(values), rows: 0, bytes: 0)
            throw CancellationError()
        } catch let error as AnalyticsError {
            let result = error.toolResult
            self.audit(tool, context, caller, started, .error, error.code.rawValue, Self.requestedDatasets(values), rows: 0, bytes: 0)
            return result
        } catch {
            self.environment.logger.error(
                "tool failed unexpectedly",
                metadata: ["mcpa.tool": "\(name)", "mcpa.error.type": "\(type(of: error))"]
            )
            let failure = AnalyticsError.internalError()
            self.audit(tool, context, caller, started, .error, failure.code.rawValue, Self.requestedDatasets(values), rows: 0, bytes: 0)
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

    func audit(
        _ tool: any AnalyticsTool,
        _ context: ToolCallContext?,
        _ caller: CallerContext,
        _ started: ContinuousClock.Instant,
        _ status: QueryLogEntry.Status,
        _ errorCode: String?,
        _ datasetIDs: [String],
        rows: Int,
        bytes: Int
    ) {
        if tool.engineLogsCalls, context?.engineTookOver == true { return }
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        self.environment.recorder?.record(
            QueryLogEntry(
                principalID: caller.principal.id,
                principalName: caller.principal.name,
                clientName: caller.clientName,
                clientVersion: caller.clientVersion,
                tool: tool.name,
                datasetIDs: datasetIDs,
                status: status,
                errorCode: errorCode,
                durationMs: milliseconds,
                rows: rows,
                bytes: bytes,
                promptHash: caller.promptHash
            )
        )
    }
}
