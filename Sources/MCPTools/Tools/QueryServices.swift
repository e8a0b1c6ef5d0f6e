import AnalyticsCore
import MetadataStore

/// The query engine as the tools use it: guarded execution of one query, a weighted breakdown and
/// a plan.
///
/// DataPlane's `QueryEngine` conforms; the protocol keeps this module's dependency on the engine to
/// exactly the calls it makes.
public protocol AnalyticsQueryEngine: Sendable {
    func execute(_ request: QueryRequest, caller: CallerContext) async throws -> QueryResult
    func breakdown(_ request: BreakdownRequest, caller: CallerContext) async throws -> BreakdownResult
    /// Cancelling the calling task cancels the plan's sub-queries.
    func runPlan(
        _ plan: QueryPlan,
        caller: CallerContext,
        progress: @escaping @Sendable (PlanProgress) async -> Void
    ) async throws -> PlanResult
}

/// Where tool calls that are not SQL executions are audited (DESIGN §5.5). Non-blocking.
public protocol ToolCallRecorder: Sendable {
    func record(_ entry: QueryLogEntry)
}

/// The latest profile snapshot of a dataset, or `nil` before it was first profiled.
public typealias ProfileProvider = @Sendable (_ datasetID: String) async throws -> DatasetProfile?
