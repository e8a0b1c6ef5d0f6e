import AnalyticsCore
import ControlPlane
import DataPlane
import DemoPanel
import Foundation
import Synchronization
import TestSupport
import Testing

/// The profiler on the demo panel, on PostgreSQL and SQLite, checked against statistics the test
/// computes itself with its own SQL.
@Suite("Profiler on the demo panel")
struct DemoPanelProfileTests {
    /// `percentile_cont` computed in the test from every value.
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down))
        let high = min(sorted.count - 1, low + 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }

    static func sortedValues(_ dataset: TestDataset, _ table: String, _ column: String) async throws -> [Double] {
        try await dataset.rows("SELECT \(column) AS v FROM \(table) WHERE \(column) IS NOT NULL").compactMap { $0["v"]?.doubleValue }.sorted()
    }

    @Test("row counts, keys, comments, nulls, min/max, shares, quantiles and coverage match direct SQL", arguments: StoreBackend.allCases)
    func statisticsMatchDirectSQL(_ backend: StoreBackend) async throws {
        try await ProfilingFixtures.withDataset(backend, demoScale: 0.2) { dataset in
            let profile = try await ProfilingFixtures.profile(dataset)
            #expect(profile.backend == backend.rawValue)
            #expect(profile.datasetID == "panel")
            #expect(profile.tables.map(\.name).sorted() == ["purchases", "respondents", "tv_viewing"], "the data dictionary is not profiled")

            for table in profile.tables {
                let count = try await dataset.value("SELECT count(*) AS n FROM \(table.name)")?.intValue
                #expect(table.rowCount == count, "\(table.name)")
                #expect(table.rowCountExact)
                #expect(table.samplePercent == 100)
                #expect(table.sampleRows.count == 5)
                #expect(table.warnings == nil)
                #expect(table.comment == DemoPanelSchema.tables.first { $0.name == table.name }?.description)
                for column in table.columns {
                    let nulls = try await dataset.value("SELECT count(*) - count(\(column.name)) AS n FROM \(table.name)")?.intValue ?? -1
                    #expect(column.nullFraction == Double(nulls) / Double(table.rowCount), "\(table.name).\(column.name)")
                    #expect(column.comment != nil, "\(table.name).\(column.name) has a dictionary entry")
                    #expect(column.pii == nil, "\(table.name).\(column.name) is not personal data")
                }
            }
            let respondents = try #require(profile.table(named: "respondents"))
            #expect(respondents.primaryKey == ["respondent_id"])
            let viewing = try #require(profile.table(named: "tv_viewing"))
            #expect(
                viewing.foreignKeys == [ForeignKey(columns: ["respondent_id"], referencedTable: "respondents", referencedColumns: ["respondent_id"])]
            )

            // Min and max.
            for (table, column) in [("respondents", "weight"), ("tv_viewing", "minutes"), ("purchases", "amount")] {
                let direct = try #require(try await dataset.rows("SELECT min(\(column)) AS lo, max(\(column)) AS hi FROM \(table)").first)
                let profiled = try #require(profile.table(named: table)?.column(named: column))
                #expect(profiled.min?.doubleValue == direct["lo"]?.doubleValue, "\(table).\(column) min")
                #expect(profiled.max?.doubleValue == direct["hi"]?.doubleValue, "\(table).\(column) max")
            }

            // Top-value shares and exact distinct counts.
            let gender = try #require(respondents.column(named: "gender"))
            let genderCounts = try await dataset.rows("SELECT gender AS v, count(*) AS n FROM respondents GROUP BY gender")
            #expect(gender.distinctEstimate == Double(genderCounts.count))
            for row in genderCounts {
                let share = Double(row["n"]?.intValue ?? 0) / Double(respondents.rowCount)
                let profiled = gender.topValues.first { $0.value == row["v"] }?.share
                #expect(profiled.map { abs($0 - share) < 1e-12 } == true, "share of \(row["v"] ?? .null)")
            }
            let genre = try #require(viewing.column(named: "genre"))
            #expect(genre.topValues.count == 8)
            #expect(genre.topValues.map(\.share) == genre.topValues.map(\.share).sorted(by: >), "most frequent first")

            // Quantiles against values sorted in the test (SQLite interpolates between every k-th value).
            let minutes = try await Self.sortedValues(dataset, "tv_viewing", "minutes")
            let weights = try await Self.sortedValues(dataset, "respondents", "weight")
            let minuteQuantiles = try #require(viewing.column(named: "minutes")?.quantiles)
            let weightQuantiles = try #require(respondents.column(named: "weight")?.quantiles)
            for (key, q) in [("p05", 0.05), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p95", 0.95)] {
                #expect(abs((minuteQuantiles[key] ?? -1) - Self.percentile(minutes, q)) <= (backend == .postgres ? 1e-9 : 1.0), "minutes \(key)")
                #expect(abs((weightQuantiles[key] ?? -1) - Self.percentile(weights, q)) <= 1e-9, "weight \(key)")
            }
            let mean = weights.reduce(0, +) / Double(weights.count)
            #expect(abs((respondents.column(named: "weight")?.mean ?? 0) - mean) < 1e-9)

            // Date coverage spans the direct min and max.
            let times = try #require(try await dataset.rows("SELECT min(start_time) AS lo, max(start_time) AS hi FROM tv_viewing").first)
            let coverage = try #require(viewing.column(named: "start_time")?.dateCoverage)
            #expect(coverage.first == times["lo"]?.text)
            #expect(coverage.last == times["hi"]?.text)
            let days = try #require(try await dataset.rows("SELECT min(purchase_date) AS lo, max(purchase_date) AS hi FROM purchases").first)
            let purchaseCoverage = try #require(profile.table(named: "purchases")?.column(named: "purchase_date")?.dateCoverage)
            #expect(purchaseCoverage.first == days["lo"]?.text)
            #expect(purchaseCoverage.last == days["hi"]?.text)
        }
    }

    @Test("roles and the suggested weighting config name the weight, the key and the persona dimensions", arguments: StoreBackend.allCases)
    func suggestedWeighting(_ backend: StoreBackend) async throws {
        try await ProfilingFixtures.withDataset(backend, demoScale: 0.2) { dataset in
            let profile = try await ProfilingFixtures.profile(dataset)
            let config = try #require(profile.suggestedWeighting)
            #expect(config["respondent_table"] == "respondents")
            #expect(config["respondent_key"] == "respondent_id")
            #expect(config["weight_column"] == "weight")
            #expect(config["version"] == 1)
            let dimensions = (config["dimensions"]?.arrayValue ?? []).compactMap { $0["column"]?.stringValue }
            #expect(Set(["gender", "age_band", "nccs", "region"]).isSubset(of: Set(dimensions)), "\(dimensions)")
            #expect(!dimensions.contains("weight") && !dimensions.contains("respondent_id") && !dimensions.contains("household_size"))
            let age = try #require(config["dimensions"]?.arrayValue?.first { $0["column"] == "age_band" })
            #expect(age["order"] == ["15-24", "25-34", "35-44", "45-54", "55+"])
            #expect(age["label"] == "Age band")

            let events = config["event_tables"]?.arrayValue ?? []
            let viewing = try #require(events.first { $0["table"] == "tv_viewing" })
            #expect(viewing["respondent_key"] == "respondent_id")
            #expect(viewing["time_column"] == "start_time")
            #expect(viewing["time_type"] == "timestamp")
            #expect(viewing["measures"]?.arrayValue?.compactMap { $0["column"]?.stringValue } == ["minutes"])
            #expect(Set(viewing["filter_columns"]?.arrayValue?.compactMap(\.stringValue) ?? []) == ["channel", "genre"])
            let purchases = try #require(events.first { $0["table"] == "purchases" })
            #expect(purchases["time_column"] == "purchase_date")
            #expect(purchases["time_type"] == "date")
            #expect(purchases["measures"]?.arrayValue?.compactMap { $0["column"]?.stringValue } == ["amount"])

            // The same document shape as the demo's own config.
            let demo = DemoPanel.weightingConfig
            #expect(Set(config.objectValue?.keys ?? [:].keys) == Set(demo.objectValue?.keys ?? [:].keys))
            let demoDimensionKeys = Set(demo["dimensions"]?.arrayValue?.first?.objectValue?.keys ?? [:].keys)
            #expect(Set(config["dimensions"]?.arrayValue?.first?.objectValue?.keys ?? [:].keys) == demoDimensionKeys)

            let respondents = try #require(profile.table(named: "respondents"))
            #expect(respondents.column(named: "respondent_id")?.roles == ["respondent_key"])
            #expect(respondents.column(named: "weight")?.roles == ["weight"])
            #expect(respondents.column(named: "gender")?.roles == ["dimension"])
            #expect(respondents.column(named: "household_size")?.roles == ["measure"])
            let viewingTable = try #require(profile.table(named: "tv_viewing"))
            #expect(viewingTable.column(named: "respondent_id")?.roles == ["respondent_key"])
            #expect(viewingTable.column(named: "start_time")?.roles == ["event_time"])
            #expect(viewingTable.column(named: "minutes")?.roles == ["measure"])
            #expect(viewingTable.column(named: "event_id")?.roles == [])
        }
    }

    @Test("progress is reported per table, rising to 100", arguments: StoreBackend.allCases)
    func progress(_ backend: StoreBackend) async throws {
        try await ProfilingFixtures.withDataset(backend, demoScale: 0.05) { dataset in
            let reports = LockedReports()
            _ = try await DatasetProfiler(logger: ProfilingFixtures.logger).profile(dataset.connector) { report in reports.append(report) }
            let all = reports.all
            #expect(all.first?.percent == 0)
            #expect(all.last?.percent == 100)
            #expect(all.map(\.percent) == all.map(\.percent).sorted())
            #expect(Set(all.compactMap(\.table)) == ["respondents", "tv_viewing", "purchases"])
        }
    }
}

/// Collects progress reports from the profiler's callback.
final class LockedReports: Sendable {
    private let storage = Mutex<[ProfileProgress]>([])
    func append(_ report: ProfileProgress) { self.storage.withLock { $0.append(report) } }
    var all: [ProfileProgress] { self.storage.withLock { $0 } }
}
