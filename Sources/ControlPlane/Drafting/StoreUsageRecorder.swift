import AnalyticsCore
import LLMClient
import Logging
import MetadataStore

/// Persists the token usage of every language-model call in the store (`llm_usage`), attributed to
/// the job and dataset the calling task works for (``JobAttribution``).
///
/// Recording never fails a call: a store error is logged and the usage is lost.
public struct StoreUsageRecorder: UsageRecorder {
    let store: any LLMUsageStore
    let logger: Logger

    public init(store: any LLMUsageStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public func record(_ usage: LLMUsage) async {
        let attribution = JobAttribution.current
        let record = LLMUsageRecord(
            at: usage.startedAt,
            datasetID: attribution?.datasetID,
            jobID: attribution?.jobID,
            operation: usage.operation.rawValue,
            purpose: usage.purpose,
            model: usage.model,
            usedFallback: usage.usedFallback,
            promptTokens: usage.promptTokens,
            completionTokens: usage.completionTokens,
            totalTokens: usage.totalTokens,
            latencyMs: usage.latencyMilliseconds,
            attempts: usage.attempts,
            errorCode: usage.errorCode?.rawValue
        )
        do {
            try await self.store.appendLLMUsage(record)
        } catch {
            let code = (error as? AnalyticsError)?.code.rawValue ?? "unknown"
            self.logger.warning("Could not record LLM token usage.", metadata: ["mcpa.error.code": "\(code)"])
        }
    }
}
