import AnalyticsCore

/// Which rows a table's statistics are computed on: all of them, or a repeatable sample whose
/// cost does not grow with the table.
struct SamplePlan: Sendable, Hashable {
    enum Method: Sendable, Hashable {
        case full
        /// PostgreSQL `TABLESAMPLE method (percent) REPEATABLE (seed)`.
        case tableSample(method: ProfilerConfiguration.SampleMethod, percent: Double, seed: Int)
        /// SQLite: `count` contiguous rowid ranges of `length` rowids, evenly spaced from `start`
        /// every `stride` rowids — each range is a seek, so cost depends on the sample, not the table.
        case rowidRanges(start: Int64, stride: Int64, count: Int64, length: Int64)
        /// The first rows only (views, tables without rowid): cheap but not representative.
        case firstRows(Int64)
    }

    var method: Method
    /// Expected percent of the table's rows read (100 when not sampled).
    var percent: Double

    static let full = SamplePlan(method: .full, percent: 100)

    var isSampled: Bool { self.method != .full }

    /// Rowid ranges per SQLite sample: enough spread to see the whole table, few enough seeks.
    static let rowidRangeCount: Int64 = 256

    /// Full read at or below the sampling threshold; otherwise a sample of about
    /// ``ProfilerConfiguration/targetSampleRows`` rows (or the fixed percent).
    static func make(
        for access: CatalogTable.Access,
        rows: Int64,
        rowidSpan: (low: Int64, high: Int64)?,
        configuration: ProfilerConfiguration
    ) -> SamplePlan {
        guard rows > configuration.samplingThreshold else { return .full }
        let percent = configuration.samplePercent ?? min(100, Double(configuration.targetSampleRows) / Double(rows) * 100)
        guard percent < 100 else { return .full }
        switch access {
        case .pages:
            return SamplePlan(method: .tableSample(method: configuration.sampleMethod, percent: percent, seed: configuration.seed), percent: percent)
        case .rowid:
            guard let span = rowidSpan, span.high >= span.low else { return .full }
            let width = span.high - span.low + 1
            let wanted = max(1, Int64((Double(width) * percent / 100).rounded()))
            let count = min(Self.rowidRangeCount, max(1, wanted / 100))
            let length = max(1, wanted / count)
            let stride = max(length, width / count)
            let covered = min(width, count * length)
            return SamplePlan(
                method: .rowidRanges(start: span.low, stride: stride, count: count, length: length),
                percent: Double(covered) / Double(width) * 100
            )
        case .scan:
            let wanted = max(1, Int64((Double(rows) * percent / 100).rounded()))
            return SamplePlan(method: .firstRows(wanted), percent: Double(wanted) / Double(rows) * 100)
        }
    }

    /// The `FROM` item yielding the plan's rows as `alias`, with binds added to `builder`.
    func source(_ table: CatalogTable, alias: String = "src", builder: inout SQLBuilder) throws -> String {
        let name = try table.quotedName()
        let quotedAlias = try SQLIdentifier.quote(alias)
        switch self.method {
        case .full:
            return "\(name) AS \(quotedAlias)"
        case .tableSample(let method, let percent, let seed):
            let p = builder.bind(.double(percent))
            let s = builder.bind(.double(Double(seed)))
            return "\(name) AS \(quotedAlias) TABLESAMPLE \(method.rawValue) (\(p)::real) REPEATABLE (\(s)::float8)"
        case .rowidRanges(let start, let stride, let count, let length):
            let first = builder.bind(.int(start))
            let step = builder.bind(.int(stride))
            let last = builder.bind(.int(start + stride * (count - 1)))
            let span = builder.bind(.int(length))
            return """
                (WITH RECURSIVE mcpa_ranges(range_start) AS (
                    SELECT \(first) UNION ALL SELECT range_start + \(step) FROM mcpa_ranges WHERE range_start + \(step) <= \(last)
                ) SELECT mcpa_t.* FROM mcpa_ranges CROSS JOIN \(name) AS mcpa_t
                  WHERE mcpa_t.rowid >= mcpa_ranges.range_start AND mcpa_t.rowid < mcpa_ranges.range_start + \(span)) AS \(quotedAlias)
                """
        case .firstRows(let rows):
            return "(SELECT * FROM \(name) LIMIT \(builder.bind(.int(rows)))) AS \(quotedAlias)"
        }
    }
}
