import AnalyticsCore

/// Settings of the query engine, result cache and query log (`serve --help` lists them).
extension ServerConfiguration {
    static let engineOptions: [Option] = [
        Option(name: "cache-ttl-seconds") { config, value in
            guard let seconds = Double(value), seconds.isFinite else { throw invalid("cache-ttl-seconds", value, "a number of seconds") }
            config.cacheTTLSeconds = seconds
        },
        Option(name: "cache-size-mb") { config, value in config.cacheSizeMB = try integer("cache-size-mb", value) },
        Option(name: "result-budget-tokens") { config, value in config.resultBudgetTokens = try integer("result-budget-tokens", value) },
        Option(name: "max-plan-queries") { config, value in config.maxPlanQueries = try integer("max-plan-queries", value) },
        Option(name: "query-log-retention-days") { config, value in
            config.queryLogRetentionDays = try integer("query-log-retention-days", value)
        },
        Option(name: "raw-query-timeout-ms") { config, value in config.rawQueryTimeoutMs = try integer("raw-query-timeout-ms", value) },
    ]

    static func integer(_ name: String, _ value: String) throws -> Int {
        guard let number = Int(value) else { throw invalid(name, value, "an integer") }
        return number
    }

    func validateEngineSettings() throws {
        func check<T: Comparable & CustomStringConvertible>(_ name: String, _ value: T, _ range: ClosedRange<T>) throws {
            guard range.contains(value) else {
                throw AnalyticsError.invalidRequest(
                    "\(name) = \(value) is out of range.",
                    hint: "Use a value from \(range.lowerBound) to \(range.upperBound)."
                )
            }
        }
        try check("cache-ttl-seconds", self.cacheTTLSeconds, 0...86_400)
        try check("cache-size-mb", self.cacheSizeMB, 0...65_536)
        try check("result-budget-tokens", self.resultBudgetTokens, 250...1_000_000)
        try check("max-plan-queries", self.maxPlanQueries, 1...1_000)
        try check("query-log-retention-days", self.queryLogRetentionDays, 1...36_500)
        try check("raw-query-timeout-ms", self.rawQueryTimeoutMs, 100...3_600_000)
    }
}
