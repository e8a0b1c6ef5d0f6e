extension Duration {
    /// Whole milliseconds, rounded down (what `statement_timeout` takes).
    var wholeMilliseconds: Int64 {
        self.components.seconds * 1000 + self.components.attoseconds / 1_000_000_000_000_000
    }

    /// `"30 s"` or `"250 ms"`, for messages.
    var shortText: String {
        let milliseconds = self.wholeMilliseconds
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}
