/// Thresholds of the quality rules.
public struct QualityConfiguration: Sendable, Hashable {
    /// A column with at least this share of nulls is reported.
    public var highNullFraction: Double
    /// A weight whose max / mean exceeds this is reported as extreme.
    public var extremeWeightRatio: Double
    /// Kish efficiency n_eff / n below this is reported.
    public var minimumWeightEfficiency: Double
    /// A minority date format is reported once it reaches this share of a column's dates.
    public var minorDateFormatShare: Double
    /// Limit of every statement the rules run.
    public var statementTimeout: Duration

    public init(
        highNullFraction: Double = 0.5,
        extremeWeightRatio: Double = 10,
        minimumWeightEfficiency: Double = 0.5,
        minorDateFormatShare: Double = 0.001,
        statementTimeout: Duration = .seconds(30)
    ) {
        self.highNullFraction = highNullFraction
        self.extremeWeightRatio = extremeWeightRatio
        self.minimumWeightEfficiency = minimumWeightEfficiency
        self.minorDateFormatShare = minorDateFormatShare
        self.statementTimeout = statementTimeout
    }
}
