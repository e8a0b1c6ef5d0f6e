import AnalyticsCore
import Foundation
import MetadataStore

/// `get_recent_queries`: the caller's own recent SQL, so a follow-up question can build on it.
struct RecentQueriesTool: AnalyticsTool {
    let name = "get_recent_queries"
    let title = "Recent queries"
    let summary = "Your recent queries (normalised SQL, status, rows), newest first, for follow-ups."
    let outputSchema = JSONSchema.output("queries")

    func inputSchema(datasetIDs: [String]) -> JSONValue {
        JSONSchema.object(["dataset_id": JSONSchema.datasetID(datasetIDs), "limit": JSONSchema.integer(1...50)])
    }

    func call(_ arguments: ToolArguments, context: ToolCallContext) async throws -> ToolOutput {
        try arguments.requireOnly(["dataset_id", "limit"])
        let datasetID = try arguments.datasetID(active: context.activeIDs, required: false)
        let limit = try arguments.integer("limit", in: 1...50) ?? 10
        try context.caller.principal.require(.readQueryLog)
        // Tool calls without SQL (list, describe, …) share the log; read extra and keep the queries.
        let filter = QueryLogFilter(datasetID: datasetID, principalID: context.caller.principal.id, limit: min(limit * 5, 250))
        let entries = try await context.environment.store.queryLog(filter).filter { $0.normalizedSQL != nil }.prefix(limit)
        let queries: [JSONValue] = entries.map { entry in
            [
                "at": .string(entry.at.formatted(.iso8601)),
                "tool": .string(entry.tool),
                "dataset_ids": .array(entry.datasetIDs.map(JSONValue.string)),
                "sql": entry.normalizedSQL.map(JSONValue.string) ?? .null,
                "status": .string(entry.status.rawValue),
                "error_code": entry.errorCode.map(JSONValue.string) ?? .null,
                "rows": .int(Int64(entry.rows)),
                "duration_ms": .double((entry.durationMs * 10).rounded() / 10),
                "persona": entry.persona.map(JSONValue.string) ?? .null,
            ]
        }
        var lines = [queries.isEmpty ? "No recent queries." : "\(queries.count) recent quer\(queries.count == 1 ? "y" : "ies"), newest first:"]
        for entry in entries {
            let outcome = entry.status == .ok ? "\(entry.rows) rows" : (entry.errorCode ?? "error")
            lines.append("- \(entry.at.formatted(.iso8601)) \(entry.datasetIDs.joined(separator: ",")) \(outcome): \(entry.normalizedSQL ?? "")")
        }
        return ToolOutput(
            structured: ["queries": .array(queries)],
            text: lines.joined(separator: "\n"),
            rows: queries.count,
            datasetIDs: datasetID.map { [$0] } ?? []
        )
    }
}
