/// The conversions of `Duration` the server reports in: logs, query-log entries, metrics and
/// database settings each want a plain number, and computing it from `components` by hand is easy to
/// get wrong by a factor of a thousand.
extension Duration {
    /// Fractional milliseconds (query log, metrics).
    public var inMilliseconds: Double {
        Double(self.components.seconds) * 1_000 + Double(self.components.attoseconds) / 1e15
    }

    /// Fractional seconds.
    public var inSeconds: Double {
        Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18
    }

    /// Whole milliseconds, rounded down (what `statement_timeout` takes).
    public var wholeMilliseconds: Int64 {
        self.components.seconds * 1_000 + self.components.attoseconds / 1_000_000_000_000_000
    }

    /// Whole nanoseconds, rounded down.
    public var wholeNanoseconds: Int64 {
        self.components.seconds * 1_000_000_000 + self.components.attoseconds / 1_000_000_000
    }
}
