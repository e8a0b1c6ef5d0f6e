/// Settings of the query engine, result cache and query log.
extension ServerConfiguration {
    static let engineOptions: [Option] = [
        .number("cache-ttl-seconds", \.cacheTTLSeconds, 0...86_400, .engine, "Seconds a query result stays cached; 0 disables the cache."),
        .integer("cache-size-mb", \.cacheSizeMB, 0...65_536, .engine, value: "MiB", "Memory for cached results in MiB; 0 disables the cache."),
        .integer(
            "result-budget-tokens",
            \.resultBudgetTokens,
            250...1_000_000,
            .engine,
            value: "tokens",
            "Size budget of one query result in tokens of 4 characters; longer results are cut with a hint."
        ),
        .integer("max-plan-queries", \.maxPlanQueries, 1...1_000, .engine, "Sub-queries one query plan may hold."),
        .integer(
            "query-log-retention-days",
            \.queryLogRetentionDays,
            1...36_500,
            .engine,
            value: "days",
            "Days query log entries are kept before the periodic purge."
        ),
        .integer(
            "raw-query-timeout-ms",
            \.rawQueryTimeoutMs,
            100...3_600_000,
            .engine,
            value: "ms",
            "Longest a non-aggregated (row-level) query may run before it is stopped with a hint to aggregate."
        ),
    ]
}
