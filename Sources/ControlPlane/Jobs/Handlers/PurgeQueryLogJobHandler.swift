import AnalyticsCore
import Foundation
import MetadataStore

/// `purge_query_log` jobs: delete query-log entries older than the retention period (DESIGN §5.5).
/// The scheduler enqueues one a day, once across all replicas.
///
/// Payload `retention_days` overrides the server's setting for one run.
public struct PurgeQueryLogJobHandler: JobHandler {
    public var kind: String { JobKind.purgeQueryLog }
    let store: any MetadataStore
    let retentionDays: Int

    public init(store: any MetadataStore, retentionDays: Int) {
        self.store = store
        self.retentionDays = max(retentionDays, 1)
    }

    public func run(_ job: JobRecord, context: JobContext) async throws -> JSONValue {
        let days = job.payload["retention_days"]?.intValue.map(Int.init) ?? self.retentionDays
        guard days >= 1 else { throw AnalyticsError.invalidRequest("retention_days must be at least 1, got \(days).") }
        let cutoff = Date().addingTimeInterval(-Double(days) * 86_400)
        let purged = try await self.store.purgeQueryLog(before: cutoff)
        context.logger.info("query log purged", metadata: ["mcpa.query_log.purged": "\(purged)", "mcpa.query_log.retention_days": "\(days)"])
        return [
            "purged": .int(Int64(purged)),
            "retention_days": .int(Int64(days)),
            "before": .string(ISO8601DateFormatter().string(from: cutoff)),
        ]
    }
}
