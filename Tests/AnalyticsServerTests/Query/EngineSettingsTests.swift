import AnalyticsCore
import AnalyticsServer
import DataPlane
import Foundation
import MetadataStore
import TestSupport
import Testing

@Suite("Engine settings: cache, budget, plans, retention")
struct EngineSettingsTests {
    @Test("defaults match the documented ones")
    func defaults() {
        let configuration = ServerConfiguration()
        #expect(configuration.cacheTTLSeconds == 60)
        #expect(configuration.cacheSizeMB == 64)
        #expect(configuration.resultBudgetTokens == 8_000)
        #expect(configuration.maxPlanQueries == 50)
        #expect(configuration.queryLogRetentionDays == 90)
        #expect(configuration.rawQueryTimeoutMs == 5_000)
    }

    @Test("flags beat the environment, which beats the config file; the data plane is built from the result")
    func resolution() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.file("config.json")
        try Data(#"{"max-plan-queries": 7, "cache-size-mb": 3, "query-log-retention-days": 30}"#.utf8).write(to: URL(fileURLWithPath: file))
        let configuration = try ServerConfiguration.resolve(
            flags: ["max-plan-queries": "12", "data-dir": directory.path],
            environment: [
                "MCPA_MAX_PLAN_QUERIES": "9", "MCPA_CACHE_TTL_SECONDS": "2.5", "MCPA_RESULT_BUDGET_TOKENS": "4000",
                "MCPA_RAW_QUERY_TIMEOUT_MS": "750",
            ],
            configFile: file
        )
        #expect(configuration.maxPlanQueries == 12)
        #expect(configuration.cacheTTLSeconds == 2.5)
        #expect(configuration.cacheSizeMB == 3)
        #expect(configuration.queryLogRetentionDays == 30)
        #expect(configuration.resultBudgetTokens == 4_000)
        #expect(configuration.rawQueryTimeoutMs == 750)

        try await StoreSession.with(url: "sqlite:" + directory.file("r.sqlite"), logger: .init(label: "t")) { store in
            let dependencies = try ServerRuntime.dependencies(configuration: configuration, store: store, logger: .init(label: "t"))
            let dataPlane = dependencies.dataPlane
            #expect(dataPlane.engine.configuration.maxPlanQueries == 12)
            #expect(dataPlane.engine.configuration.resultBudgetCharacters == 16_000)
            #expect(dataPlane.engine.configuration.rawQueryTimeout == .milliseconds(750))
            #expect(dataPlane.cache.configuration.ttl == .milliseconds(2_500))
            #expect(dataPlane.cache.configuration.maxBytes == 3 * 1024 * 1024)
            #expect(dataPlane.queryLog.configuration.retentionDays == 30)
        }
    }

    @Test(
        "bad values are refused with INVALID_REQUEST naming the setting",
        arguments: [
            ("max-plan-queries", "0"), ("max-plan-queries", "many"), ("cache-ttl-seconds", "-1"), ("cache-ttl-seconds", "nan"),
            ("cache-size-mb", "70000"), ("result-budget-tokens", "10"), ("query-log-retention-days", "0"), ("raw-query-timeout-ms", "5"),
        ]
    )
    func badValues(setting: String, value: String) {
        #expect {
            _ = try ServerConfiguration.resolve(flags: [setting: value], environment: [:])
        } throws: { error in
            guard let error = error as? AnalyticsError else { return false }
            return error.code == .invalidRequest && error.message.contains(setting)
        }
    }
}
