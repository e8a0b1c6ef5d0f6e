import AnalyticsCore
import ControlPlane
import DataPlane
import Logging

/// Times the profiler on one table at a time, to show how its cost grows with the table
/// (`mcp-analytics bench profile`). A benchmark, not a test: it reports numbers and asserts nothing.
public struct ProfilingBenchmark: Sendable {
    /// One table's timings.
    public struct Measurement: Sendable, Codable, Hashable {
        public var table: String
        public var rows: Int64
        public var rowCountExact: Bool
        /// Percent of rows the statistics were computed on.
        public var samplePercent: Double
        /// The fastest run (the least disturbed by other load), in seconds.
        public var bestSeconds: Double
        /// Every run, in seconds.
        public var runs: [Double]

        enum CodingKeys: String, CodingKey {
            case table, rows, runs
            case rowCountExact = "row_count_exact"
            case samplePercent = "sample_percent"
            case bestSeconds = "best_seconds"
        }
    }

    public var configuration: ProfilerConfiguration
    /// Runs per table; the best is reported.
    public var repeats: Int
    let logger: Logger

    public init(configuration: ProfilerConfiguration = ProfilerConfiguration(), repeats: Int = 3, logger: Logger) {
        self.configuration = configuration
        self.repeats = repeats
        self.logger = logger
    }

    /// Profiles `schema.table` alone `repeats` times through `connector`.
    public func measure(_ connector: any DatasetConnector, schema: String?, table: String) async throws -> Measurement {
        guard self.repeats >= 1 else { throw AnalyticsError.invalidRequest("Repeat the benchmark at least once.") }
        var configuration = self.configuration
        configuration.schemas = schema.map { [$0] }
        configuration.tables = [table]
        let profiler = DatasetProfiler(configuration: configuration, logger: self.logger)
        var runs: [Double] = []
        var last: TableProfile?
        for _ in 0..<self.repeats {
            let started = ContinuousClock.now
            let profile = try await profiler.profile(connector)
            runs.append(Self.seconds(ContinuousClock.now - started))
            guard let profiled = profile.tables.first else {
                throw AnalyticsError.invalidRequest("Table \(schema.map { "\($0)." } ?? "")\(table) was not found or is not readable.")
            }
            last = profiled
        }
        return Measurement(
            table: last?.qualifiedName ?? table,
            rows: last?.rowCount ?? 0,
            rowCountExact: last?.rowCountExact ?? false,
            samplePercent: last?.samplePercent ?? 100,
            bestSeconds: runs.min() ?? 0,
            runs: runs
        )
    }

    /// Each measurement's best time relative to the first one's (1 for the first).
    public static func ratios(_ measurements: [Measurement]) -> [Double] {
        guard let base = measurements.first?.bestSeconds, base > 0 else { return measurements.map { _ in 1 } }
        return measurements.map { $0.bestSeconds / base }
    }

    static func seconds(_ duration: Duration) -> Double {
        duration.inSeconds
    }
}
