import AnalyticsCore
import ControlPlane
import DataPlane
import Foundation
import TestSupport
import Testing

/// Sampling engages above the threshold and not below, is repeatable, and keeps statistics close
/// to the exact ones.
@Suite("Profiler sampling")
struct SamplingTests {
    /// tv_viewing (~41,000 rows at scale 0.2) is above this threshold; respondents and purchases are below.
    static let sampled = ProfilerConfiguration(samplingThreshold: 12_000, targetSampleRows: 10_000)

    @Test("only tables above the threshold are sampled, and their statistics stay close to the exact ones", arguments: StoreBackend.allCases)
    func engagesAboveThreshold(_ backend: StoreBackend) async throws {
        try await ProfilingFixtures.withDataset(backend, demoScale: 0.2) { dataset in
            let exact = try await ProfilingFixtures.profile(dataset)
            let sampled = try await ProfilingFixtures.profile(dataset, Self.sampled)
            let viewing = try #require(sampled.table(named: "tv_viewing"))
            let exactViewing = try #require(exact.table(named: "tv_viewing"))
            #expect(viewing.rowCount > Self.sampled.samplingThreshold)
            #expect(viewing.samplePercent > 5 && viewing.samplePercent < 60, "about 10,000 of ~41,000 rows: \(viewing.samplePercent)")
            #expect(viewing.rowCount == exactViewing.rowCount, "the row count stays exact below the count threshold")
            #expect(viewing.rowCountExact)
            for name in ["respondents", "purchases"] {
                let table = try #require(sampled.table(named: name))
                #expect(table.samplePercent == 100, "\(name) is below the threshold")
                #expect(table == exact.table(named: name), "an unsampled table profiles identically")
            }

            // Close to exact: null fractions, quantiles, top-value shares, distinct counts.
            for column in viewing.columns {
                #expect(column.nullFraction == 0)
            }
            let minutes = try #require(viewing.column(named: "minutes")?.quantiles)
            let exactMinutes = try #require(exactViewing.column(named: "minutes")?.quantiles)
            for key in ["p25", "p50", "p75"] {
                let truth = try #require(exactMinutes[key])
                #expect(abs((minutes[key] ?? 0) - truth) <= max(3, 0.2 * truth), "minutes \(key): \(minutes[key] ?? 0) vs \(truth)")
            }
            let genre = try #require(viewing.column(named: "genre"))
            let exactGenre = try #require(exactViewing.column(named: "genre"))
            #expect(genre.distinctEstimate == 8)
            for entry in exactGenre.topValues {
                let share = genre.topValues.first { $0.value == entry.value }?.share ?? 0
                #expect(abs(share - entry.share) < 0.06, "genre \(entry.value): \(share) vs \(entry.share)")
            }
            let events = try #require(viewing.column(named: "event_id")?.distinctEstimate)
            #expect(abs(events - Double(viewing.rowCount)) / Double(viewing.rowCount) < 0.05, "a unique key is estimated unique: \(events)")
            let respondents = try #require(viewing.column(named: "respondent_id")?.distinctEstimate)
            let trueRespondents = try #require(exactViewing.column(named: "respondent_id")?.distinctEstimate)
            #expect(respondents >= 0.5 * trueRespondents && respondents <= 2 * trueRespondents, "\(respondents) vs \(trueRespondents)")
        }
    }

    @Test("a sample is repeatable: two runs over unchanged data agree exactly", arguments: StoreBackend.allCases)
    func repeatable(_ backend: StoreBackend) async throws {
        // PostgreSQL's own statistics (used for distinct counts of sampled tables) must hold still:
        // no autovacuum re-ANALYZE between the two runs.
        let freeze =
            backend == .postgres
            ? ["ALTER TABLE tv_viewing SET (autovacuum_enabled = false)", "ANALYZE tv_viewing"] : []
        try await ProfilingFixtures.withDataset(backend, demoScale: 0.2, setup: freeze) { dataset in
            let first = try await ProfilingFixtures.profile(dataset, Self.sampled)
            let second = try await ProfilingFixtures.profile(dataset, Self.sampled)
            #expect(first.table(named: "tv_viewing")?.samplePercent ?? 100 < 100)
            #expect(first.tables == second.tables)
        }
    }

    @Test("a fixed sample percent is honoured", arguments: StoreBackend.allCases)
    func fixedPercent(_ backend: StoreBackend) async throws {
        try await ProfilingFixtures.withDataset(backend, demoScale: 0.2) { dataset in
            var configuration = Self.sampled
            configuration.samplePercent = 20
            let profile = try await ProfilingFixtures.profile(dataset, configuration)
            let percent = try #require(profile.table(named: "tv_viewing")?.samplePercent)
            #expect(abs(percent - 20) < 1, "\(percent)")
            #expect(profile.table(named: "respondents")?.samplePercent == 100)
        }
    }

    @Test("above the count threshold the row count is a catalogue estimate", arguments: StoreBackend.allCases)
    func estimatedCounts(_ backend: StoreBackend) async throws {
        try await ProfilingFixtures.withDataset(backend, demoScale: 0.2) { dataset in
            var configuration = Self.sampled
            configuration.exactCountThreshold = 1_000
            let profile = try await ProfilingFixtures.profile(dataset, configuration)
            let truth = try #require(try await dataset.value("SELECT count(*) AS n FROM tv_viewing")?.intValue)
            let viewing = try #require(profile.table(named: "tv_viewing"))
            #expect(!viewing.rowCountExact)
            #expect(abs(Double(viewing.rowCount - truth)) / Double(truth) < 0.1, "\(viewing.rowCount) vs \(truth)")
            let respondents = try #require(profile.table(named: "respondents"))
            #expect(respondents.rowCountExact, "400 rows are counted")
        }
    }

    @Test("a bad configuration is INVALID_REQUEST before any statement runs")
    func badConfiguration() async throws {
        try await ProfilingFixtures.withDataset(.sqlite, demoScale: 0.05) { dataset in
            for configuration in [
                ProfilerConfiguration(samplePercent: 0),
                ProfilerConfiguration(samplePercent: 150),
                ProfilerConfiguration(sampleRowCount: 6),
                ProfilerConfiguration(statementTimeout: .zero),
                ProfilerConfiguration(targetSampleRows: 10),
            ] {
                await expectError(.invalidRequest) { try await ProfilingFixtures.profile(dataset, configuration) }
            }
        }
    }
}
