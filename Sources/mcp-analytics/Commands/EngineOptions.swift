import ArgumentParser

/// `serve` options for the query engine, result cache and query log.
struct EngineOptions: ParsableArguments {
    @Option(
        name: .customLong("cache-ttl-seconds"),
        help: "Seconds a query result stays cached; 0 disables the cache (env MCPA_CACHE_TTL_SECONDS; default 60)."
    )
    var cacheTTLSeconds: Double?

    @Option(name: .customLong("cache-size-mb"), help: "Memory for cached results in MiB; 0 disables the cache (env MCPA_CACHE_SIZE_MB; default 64).")
    var cacheSizeMB: Int?

    @Option(
        name: .customLong("result-budget-tokens"),
        help:
            "Size budget of one query result in tokens of 4 characters; longer results are cut with a hint (env MCPA_RESULT_BUDGET_TOKENS; default 8000)."
    )
    var resultBudgetTokens: Int?

    @Option(name: .customLong("max-plan-queries"), help: "Sub-queries one query plan may hold (env MCPA_MAX_PLAN_QUERIES; default 50).")
    var maxPlanQueries: Int?

    @Option(
        name: .customLong("query-log-retention-days"),
        help: "Days query log entries are kept before the periodic purge (env MCPA_QUERY_LOG_RETENTION_DAYS; default 90)."
    )
    var queryLogRetentionDays: Int?

    @Option(
        name: .customLong("raw-query-timeout-ms"),
        help:
            "Longest a non-aggregated (row-level) query may run before it is stopped with a hint to aggregate (env MCPA_RAW_QUERY_TIMEOUT_MS; default 5000)."
    )
    var rawQueryTimeoutMs: Int?

    var flags: [String: String] {
        var flags: [String: String] = [:]
        flags["cache-ttl-seconds"] = self.cacheTTLSeconds.map { String($0) }
        flags["cache-size-mb"] = self.cacheSizeMB.map(String.init)
        flags["result-budget-tokens"] = self.resultBudgetTokens.map(String.init)
        flags["max-plan-queries"] = self.maxPlanQueries.map(String.init)
        flags["query-log-retention-days"] = self.queryLogRetentionDays.map(String.init)
        flags["raw-query-timeout-ms"] = self.rawQueryTimeoutMs.map(String.init)
        return flags
    }
}
