import AnalyticsCore
import AnalyticsServer
import ArgumentParser
import Benchmarks
import ControlPlane
import DataPlane
import Foundation
import Logging

/// `mcp-analytics bench profile`: profiling time on event tables of 10^5, 10^6 and 10^7 rows, and
/// the ratios between sizes — with sampling they stay close to 1 (cost follows the sample, not the
/// table); `--full-scan` adds the same runs without sampling for contrast.
struct BenchProfileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Time the profiler on synthetic event tables of growing size.",
        discussion: """
            Builds (or reuses) tables mcpa_bench.events_<rows> with generate_series, then profiles each one
            through the read-only PostgreSQL connector, best of --repeat runs. The URL's login needs CREATE
            on the database (the tables are built with it; profiling itself only reads).
            """
    )

    @Option(help: "Target database: postgres://user:password@host:port/db.")
    var postgres: String

    @Option(help: "Comma-separated table sizes in rows.")
    var sizes = "100000,1000000,10000000"

    @Option(help: "Runs per size; the fastest is reported.")
    var `repeat` = 3

    @Option(name: .customLong("target-sample-rows"), help: "Rows a sample aims at (the profiler's default is 100000).")
    var targetSampleRows: Int64?

    @Option(name: .customLong("sample-percent"), help: "A fixed sample percent instead of the target rows.")
    var samplePercent: Double?

    @Flag(name: .customLong("full-scan"), help: "Also time each size without sampling, for contrast.")
    var fullScan = false

    @Flag(help: "Rebuild the tables even when they exist with the right size.")
    var rebuild = false

    @Flag(help: "Drop the benchmark schema afterwards.")
    var drop = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @OptionGroup var options: StoreOptions

    static let schema = "mcpa_bench"

    func run() async throws {
        try await self.reportingErrors {
            let configuration = try self.options.resolve()
            let logger = CommandLogging.bootstrap(configuration)
            let url = try ConnectionURL(self.postgres)
            guard url.kind == .postgres else {
                throw AnalyticsError(
                    .invalidConnectionURL,
                    "bench profile needs a postgres:// URL.",
                    hint: "Example: postgres://owner:secret@localhost:5432/bench"
                )
            }
            let sizes = try self.parsedSizes()
            var profiler = ProfilerConfiguration(statementTimeout: .seconds(600))
            if let rows = self.targetSampleRows { profiler.targetSampleRows = rows }
            profiler.samplePercent = self.samplePercent
            try profiler.validate()

            let tables = BenchSyntheticTables(url: url, schema: Self.schema, logger: logger)
            try await tables.ensure(sizes: sizes, rebuild: self.rebuild) { Self.note($0) }

            let settings = DatasetSettings(poolSize: 1, maxConcurrentQueries: 1, statementTimeoutMs: 600_000)
            let connector = try PostgresConnector(datasetID: "bench", url: url, settings: settings, logger: logger)
            let (sampled, full) = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await connector.run() }
                defer {
                    connector.close()
                    group.cancelAll()
                }
                let sampled = try await self.measure(connector, sizes: sizes, configuration: profiler, label: "sampled", logger: logger)
                var unsampled = profiler
                unsampled.samplingThreshold = Int64.max
                let full =
                    self.fullScan ? try await self.measure(connector, sizes: sizes, configuration: unsampled, label: "full scan", logger: logger) : []
                return (sampled, full)
            }
            if self.drop { try await tables.drop() }
            self.report(sampled: sampled, full: full, profiler: profiler)
        }
    }

    private func measure(
        _ connector: any DatasetConnector,
        sizes: [Int64],
        configuration: ProfilerConfiguration,
        label: String,
        logger: Logger
    ) async throws -> [ProfilingBenchmark.Measurement] {
        let benchmark = ProfilingBenchmark(configuration: configuration, repeats: self.repeat, logger: logger)
        var measurements: [ProfilingBenchmark.Measurement] = []
        for rows in sizes {
            Self.note("profiling \(Self.schema).\(BenchSyntheticTables.tableName(rows: rows)) (\(label), \(self.repeat) runs)…")
            measurements.append(try await benchmark.measure(connector, schema: Self.schema, table: BenchSyntheticTables.tableName(rows: rows)))
        }
        return measurements
    }

    private func report(sampled: [ProfilingBenchmark.Measurement], full: [ProfilingBenchmark.Measurement], profiler: ProfilerConfiguration) {
        if self.json {
            let document: JSONValue = [
                "sampled": .array(sampled.map(Self.json)),
                "sampled_ratios": .array(ProfilingBenchmark.ratios(sampled).map(JSONValue.double)),
                "full_scan": .array(full.map(Self.json)),
                "full_scan_ratios": .array(ProfilingBenchmark.ratios(full).map(JSONValue.double)),
            ]
            print(document.serialized())
            return
        }
        let target = profiler.samplePercent.map { "\($0)% fixed" } ?? "\(profiler.targetSampleRows) target rows"
        print("Profiling time, best of \(self.repeat) (sampling above \(profiler.samplingThreshold) rows, \(target)):")
        print(Self.table(sampled))
        if !full.isEmpty {
            print("\nWithout sampling (every row read):")
            print(Self.table(full))
            print("\nFull scan time / sampled time:")
            for (s, f) in zip(sampled, full) {
                print("\(Self.pad(String(s.rows), 12))  \(Self.pad(Self.format(f.bestSeconds / max(s.bestSeconds, 1e-9)), 8))")
            }
        }
    }

    static func table(_ measurements: [ProfilingBenchmark.Measurement]) -> String {
        var lines = ["        rows  sampled %   best s   × first   × previous"]
        let ratios = ProfilingBenchmark.ratios(measurements)
        for (index, m) in measurements.enumerated() {
            let previous = index == 0 ? 1 : m.bestSeconds / max(measurements[index - 1].bestSeconds, 1e-9)
            lines.append(
                "\(Self.pad(String(m.rows), 12))  \(Self.pad(Self.format(m.samplePercent), 9))  \(Self.pad(Self.format(m.bestSeconds, digits: 3), 7))"
                    + "  \(Self.pad(Self.format(ratios[index]), 8))  \(Self.pad(Self.format(previous), 10))"
            )
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ m: ProfilingBenchmark.Measurement) -> JSONValue {
        [
            "table": .string(m.table), "rows": .int(m.rows), "row_count_exact": .bool(m.rowCountExact), "sample_percent": .double(m.samplePercent),
            "best_seconds": .double(m.bestSeconds), "runs": .array(m.runs.map(JSONValue.double)),
        ]
    }

    func parsedSizes() throws -> [Int64] {
        let sizes = self.sizes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let parsed = sizes.compactMap { Int64($0) ?? Double($0).flatMap { $0.isFinite ? Int64(exactly: $0.rounded()) : nil } }
        guard !sizes.isEmpty, parsed.count == sizes.count, parsed.allSatisfy({ (1...1_000_000_000).contains($0) }) else {
            throw AnalyticsError.invalidRequest("--sizes must be comma-separated row counts between 1 and 10^9, got '\(self.sizes)'.")
        }
        return parsed
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func format(_ value: Double, digits: Int = 2) -> String {
        String(format: "%.\(digits)f", value)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
