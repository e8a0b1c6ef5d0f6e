import AnalyticsCore
import Benchmarks
import ControlPlane
import Testing

/// The benchmark's bookkeeping on small tables (its timings are reported, never asserted).
@Suite("Profiling benchmark")
struct BenchmarkTests {
    static let setup = [
        "CREATE SCHEMA bench",
        "CREATE TABLE bench.small AS SELECT g AS id, g % 7 AS k FROM generate_series(1, 2000) AS g",
        "CREATE TABLE bench.large AS SELECT g AS id, g % 7 AS k FROM generate_series(1, 30000) AS g",
        "ANALYZE bench.small",
        "ANALYZE bench.large",
    ]

    @Test("measures each table alone, repeat times, and reports the sample and ratios")
    func measures() async throws {
        try await ProfilingFixtures.withDataset(.postgres, setup: Self.setup) { dataset in
            let configuration = ProfilerConfiguration(samplingThreshold: 10_000, targetSampleRows: 3_000)
            let benchmark = ProfilingBenchmark(configuration: configuration, repeats: 2, logger: ProfilingFixtures.logger)
            let small = try await benchmark.measure(dataset.connector, schema: "bench", table: "small")
            let large = try await benchmark.measure(dataset.connector, schema: "bench", table: "large")
            #expect(small.table == "bench.small" && large.table == "bench.large")
            #expect(small.rows == 2_000 && large.rows == 30_000)
            #expect(small.samplePercent == 100)
            #expect(large.samplePercent == 10)
            #expect(small.runs.count == 2 && small.bestSeconds == small.runs.min())
            let ratios = ProfilingBenchmark.ratios([small, large])
            #expect(ratios.count == 2 && ratios[0] == 1)
            #expect(ratios[1] == large.bestSeconds / small.bestSeconds)

            await expectError(.invalidRequest) { try await benchmark.measure(dataset.connector, schema: "bench", table: "missing") }
            let never = ProfilingBenchmark(configuration: configuration, repeats: 0, logger: ProfilingFixtures.logger)
            await expectError(.invalidRequest) { try await never.measure(dataset.connector, schema: "bench", table: "small") }
        }
    }
}
