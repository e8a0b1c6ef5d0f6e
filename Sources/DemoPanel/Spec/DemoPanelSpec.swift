import AnalyticsCore

/// What synthetic panel to generate: the same spec always yields the same rows, byte for byte.
///
/// Generation is a pure function of (``seed``, ``scale``, ``endDay``, ``months``), so the SQLite demo
/// file and a PostgreSQL load of the same spec hold identical data and tests can compare them.
///
/// Sizes (default seed and 15 months): scale 1 is 2,000 respondents, about 222,000 viewing events and
/// 40,000 purchases (≈ 24 MB as SQLite). Rows grow linearly with scale; scale 50 (100,000
/// respondents) is the largest documented scale, with 10,658,029 `tv_viewing` rows (≥ 10^7) and
/// 2,032,653 purchases: about 1.2 GB as SQLite, 1.4 GB in PostgreSQL, loaded in about a minute.
public struct DemoPanelSpec: Sendable, Hashable {
    /// Respondents per unit of scale.
    public static let respondentsPerScale = 2_000
    /// Scale at which `tv_viewing` first exceeds 10^7 rows; what `demo-data` documents as its large load.
    public static let largeScale: Double = 50
    /// Upper bound on scale (≈ 2 × 10^8 events): beyond it a load is a mistake rather than a test.
    public static let maximumScale: Double = 1_000
    public static let defaultSeed: UInt64 = 20_240_917
    public static let defaultMonths = 15

    public var seed: UInt64
    /// Size multiplier; fractional scales give small panels for tests (0.1 → 200 respondents).
    public var scale: Double
    /// Last day of history (inclusive). Defaults to today (UTC) so relative windows such as
    /// "last 90 days" find data; tests pass a fixed day.
    public var endDay: DemoDay
    /// Months of history ending at ``endDay``.
    public var months: Int

    public init(
        seed: UInt64 = DemoPanelSpec.defaultSeed,
        scale: Double = 1,
        endDay: DemoDay = .today(),
        months: Int = DemoPanelSpec.defaultMonths
    ) {
        self.seed = seed
        self.scale = scale
        self.endDay = endDay
        self.months = months
    }

    /// Number of rows in `respondents`.
    public var respondentCount: Int {
        guard self.scale.isFinite, self.scale > 0, self.scale <= Self.maximumScale else { return 0 }
        return Int((self.scale * Double(Self.respondentsPerScale)).rounded())
    }

    /// First day of history (inclusive): the window is exactly ``months`` long.
    public var startDay: DemoDay {
        self.endDay.adding(months: -self.months).adding(days: 1)
    }

    /// Days in the history window.
    public var dayCount: Int {
        self.endDay.daysSinceEpoch - self.startDay.daysSinceEpoch + 1
    }

    /// Checks ranges; a bad value is `INVALID_REQUEST` naming it.
    public func validate() throws {
        guard self.scale.isFinite, self.scale > 0, self.scale <= Self.maximumScale else {
            throw AnalyticsError.invalidRequest(
                "Scale \(self.scale) is out of range.",
                hint: "Use a scale above 0 and at most \(Int(Self.maximumScale)); scale 1 is 2,000 respondents."
            )
        }
        guard self.respondentCount >= 1 else {
            throw AnalyticsError.invalidRequest(
                "Scale \(self.scale) yields no respondents.",
                hint: "Use a scale of at least \(1.0 / Double(Self.respondentsPerScale))."
            )
        }
        guard (1...120).contains(self.months) else {
            throw AnalyticsError.invalidRequest(
                "\(self.months) months of history is out of range.",
                hint: "Use between 1 and 120 months; the default is \(Self.defaultMonths)."
            )
        }
        guard (1971...9998).contains(self.endDay.civil.year) else {
            throw AnalyticsError.invalidRequest("End day \(self.endDay) is out of range.", hint: "Use a day between 1971 and 9998.")
        }
    }
}
