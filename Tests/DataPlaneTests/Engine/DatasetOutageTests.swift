import AnalyticsCore
import DataPlane
import Foundation
import TestSupport
import Testing

@Suite("Engine: one dataset's database goes down and comes back")
struct DatasetOutageTests {
    @Test("its queries fail fast with DATASET_UNAVAILABLE while another dataset keeps answering; it recovers without a restart")
    func outageAndRecovery() async throws {
        let cluster = try await ThrowawayCluster.start()
        do {
            try await TestPostgres.execute(["CREATE TABLE t AS SELECT g AS n FROM generate_series(1, 10) AS g"], on: cluster.url)
            try await ConnectorFixtures.withDatabase { healthy in
                try await TestPostgres.execute(["CREATE TABLE t AS SELECT g AS n FROM generate_series(1, 30) AS g"], on: healthy.url)
                try await EngineHarness.with { harness in
                    let settings = DatasetSettings(poolSize: 2, maxConcurrentQueries: 2, connectTimeoutMs: 30_000, statementTimeoutMs: 5_000)
                    try await harness.addDataset("remote", url: cluster.url, settings: settings)
                    try await harness.addDataset("local", url: healthy.url, settings: settings)
                    let sql = "SELECT count(*) AS n FROM t"
                    #expect(try await harness.query("remote", sql).rows == [[10]])
                    #expect(try await harness.query("local", sql).rows == [[30]])

                    try await cluster.stop()
                    // Different constants each time, so no answer can come from the cache.
                    var codes: [String] = []
                    for attempt in 0..<4 {
                        do {
                            _ = try await harness.query("remote", "SELECT count(*) AS n FROM t WHERE n > \(attempt)")
                            codes.append("ok")
                        } catch let error as AnalyticsError {
                            codes.append(error.code.rawValue)
                        }
                        let other = try await harness.query("local", "SELECT count(*) AS n FROM t WHERE n > \(attempt)")
                        #expect(other.rows == [[.int(Int64(30 - attempt))]], "the healthy dataset keeps answering")
                    }
                    #expect(codes == Array(repeating: "DATASET_UNAVAILABLE", count: 4))
                    #expect(harness.connectors.health()["remote"]?.state == .open, "the breaker opened")
                    #expect(harness.connectors.health()["local"]?.state == .closed)

                    try await cluster.restart()
                    var recovered: QueryResult?
                    for attempt in 0..<100 where recovered == nil {
                        recovered = try? await harness.query("remote", "SELECT count(*) AS n FROM t WHERE n > -\(attempt)")
                        if recovered == nil { try await Task.sleep(for: .milliseconds(100)) }
                    }
                    #expect(recovered?.rows == [[10]], "the same engine and registry answer again after the restart")
                    #expect(harness.connectors.health()["remote"]?.state == .closed)

                    let entries = try await harness.logEntries()
                    #expect(entries.filter { $0.errorCode == "DATASET_UNAVAILABLE" && $0.datasetIDs == ["remote"] }.count >= 4)
                }
            }
        } catch {
            await cluster.destroy()
            throw error
        }
        await cluster.destroy()
    }
}
