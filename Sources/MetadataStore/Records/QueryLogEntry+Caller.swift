import AnalyticsCore
import Foundation

extension QueryLogEntry {
    /// The entry of one call by `caller`: the one place a caller's identity, client, tool and prompt
    /// become a log entry, so every path (SQL, breakdowns, plans, other tool calls) records them alike.
    /// The caller fills in what only it knows (SQL, rows, bytes, cache, plan, persona).
    ///
    /// - Parameters:
    ///   - tool: the tool or route, when it is not the caller context's own.
    ///   - errorCode: `nil` for a success (see ``errorCode(for:)``).
    public init(
        caller: CallerContext,
        tool: String? = nil,
        id: String = UUID().uuidString.lowercased(),
        at: Date = Date(),
        datasetIDs: [String],
        errorCode: String?,
        durationMs: Double
    ) {
        self.init(
            id: id,
            at: at,
            principalID: caller.principal.id,
            principalName: caller.principal.name,
            clientName: caller.clientName,
            clientVersion: caller.clientVersion,
            tool: tool ?? caller.tool,
            datasetIDs: datasetIDs,
            status: errorCode == nil ? .ok : .error,
            errorCode: errorCode,
            durationMs: durationMs,
            promptHash: caller.promptHash
        )
    }

    /// The code a failure is logged under: its own when coded, `QUERY_CANCELLED` for a cancelled
    /// call, else `INTERNAL_ERROR`; `nil` for no error.
    public static func errorCode(for error: (any Error)?) -> String? {
        switch error {
        case nil: nil
        case let error as AnalyticsError: error.code.rawValue
        case is CancellationError: ErrorCode.queryCancelled.rawValue
        default: ErrorCode.internalError.rawValue
        }
    }
}
