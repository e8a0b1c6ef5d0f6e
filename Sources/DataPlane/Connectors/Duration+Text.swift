import AnalyticsCore

extension Duration {
    /// `"30 s"` or `"250 ms"`, for messages.
    var shortText: String {
        let milliseconds = self.wholeMilliseconds
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}
