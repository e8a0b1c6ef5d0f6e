import AnalyticsCore

/// How the profiler trades accuracy for cost; the defaults suit panel datasets of 10^5–10^8 rows.
///
/// Below ``samplingThreshold`` rows a table is read in full. Above it the statistics come from a
/// repeatable sample of about ``targetSampleRows`` rows (or a fixed ``samplePercent``), so the
/// time to profile a table stays nearly flat as it grows: PostgreSQL reads only the sampled pages
/// (`TABLESAMPLE SYSTEM`), SQLite only the sampled rowid ranges.
public struct ProfilerConfiguration: Sendable, Hashable {
    /// PostgreSQL sampling method.
    public enum SampleMethod: String, Sendable, Hashable, CaseIterable {
        /// Whole pages: cost proportional to the sample (the default, and what keeps cost flat).
        case system = "SYSTEM"
        /// Row by row: an unbiased sample, but it reads every page of the table.
        case bernoulli = "BERNOULLI"
    }

    /// Tables with at most this many (estimated) rows get an exact `count(*)`; larger ones keep the
    /// catalogue estimate (`pg_class.reltuples`, `sqlite_stat1`).
    public var exactCountThreshold: Int64
    /// Tables with more (estimated) rows than this are sampled.
    public var samplingThreshold: Int64
    /// Rows a sample aims at when ``samplePercent`` is nil.
    public var targetSampleRows: Int64
    /// A fixed sample percent (0 < p ≤ 100) instead of one derived from ``targetSampleRows``.
    public var samplePercent: Double?
    public var sampleMethod: SampleMethod
    /// Seed of `REPEATABLE (seed)`, so two runs over unchanged data see the same sample.
    public var seed: Int
    /// Limit of every statement the profiler runs.
    public var statementTimeout: Duration
    /// Most frequent values kept per column.
    public var topValueCount: Int
    /// Sample rows kept per table (at most 5, DESIGN §5.3).
    public var sampleRowCount: Int
    /// Non-null values read per text column to detect date formats and personal data.
    public var valueProbeSize: Int
    /// Ordered values SQLite quantiles are interpolated from (PostgreSQL uses `percentile_cont`).
    public var quantileResolution: Int
    /// Schemas to profile (PostgreSQL); nil means every schema the login can read except system ones.
    public var schemas: [String]?
    /// Tables to profile by name (or `schema.name`); nil means all.
    public var tables: [String]?

    public init(
        exactCountThreshold: Int64 = 1_000_000,
        samplingThreshold: Int64 = 200_000,
        targetSampleRows: Int64 = 100_000,
        samplePercent: Double? = nil,
        sampleMethod: SampleMethod = .system,
        seed: Int = 42,
        statementTimeout: Duration = .seconds(30),
        topValueCount: Int = 20,
        sampleRowCount: Int = 5,
        valueProbeSize: Int = 400,
        quantileResolution: Int = 2_000,
        schemas: [String]? = nil,
        tables: [String]? = nil
    ) {
        self.exactCountThreshold = exactCountThreshold
        self.samplingThreshold = samplingThreshold
        self.targetSampleRows = targetSampleRows
        self.samplePercent = samplePercent
        self.sampleMethod = sampleMethod
        self.seed = seed
        self.statementTimeout = statementTimeout
        self.topValueCount = topValueCount
        self.sampleRowCount = sampleRowCount
        self.valueProbeSize = valueProbeSize
        self.quantileResolution = quantileResolution
        self.schemas = schemas
        self.tables = tables
    }

    /// Checks ranges; a bad value is `INVALID_REQUEST` naming it.
    public func validate() throws {
        func check(_ ok: Bool, _ message: String) throws {
            guard ok else { throw AnalyticsError.invalidRequest("Profiler setting out of range: \(message).") }
        }
        try check(self.exactCountThreshold >= 0, "exact_count_threshold must not be negative")
        try check(self.samplingThreshold >= 1, "sampling_threshold must be at least 1")
        try check(self.targetSampleRows >= 100, "target_sample_rows must be at least 100")
        if let percent = self.samplePercent {
            try check(percent > 0 && percent <= 100, "sample_percent must be above 0 and at most 100")
        }
        try check(self.statementTimeout > .zero, "the statement timeout must be positive")
        try check((1...100).contains(self.topValueCount), "top_value_count must be 1–100")
        try check((0...5).contains(self.sampleRowCount), "sample_row_count must be 0–5")
        try check((10...10_000).contains(self.valueProbeSize), "value_probe_size must be 10–10000")
        try check((20...100_000).contains(self.quantileResolution), "quantile_resolution must be 20–100000")
    }
}
