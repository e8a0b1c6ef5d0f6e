/// A textual date format the profiler recognises, named the way reviewers write them.
enum DateFormat: String, Sendable, Hashable, CaseIterable {
    case isoDate = "YYYY-MM-DD"
    case isoDateTime = "YYYY-MM-DD HH:MM:SS"
    case isoTimestamp = "ISO 8601 timestamp"
    case slashYearFirst = "YYYY/MM/DD"
    case dayMonthSlash = "DD/MM/YYYY"
    case monthDaySlash = "MM/DD/YYYY"
    case dayMonthDash = "DD-MM-YYYY"
    case dayMonthDot = "DD.MM.YYYY"
    case compact = "YYYYMMDD"

    /// A calendar day (and time, when the text has one) read from a value.
    struct Parsed: Sendable, Hashable, Comparable {
        var year: Int
        var month: Int
        var day: Int
        /// `HH:MM:SS`, when the value carries a time.
        var time: String?

        /// `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`.
        var text: String {
            let date = "\(Self.pad(self.year, 4))-\(Self.pad(self.month, 2))-\(Self.pad(self.day, 2))"
            return self.time.map { "\(date) \($0)" } ?? date
        }

        static func < (lhs: Parsed, rhs: Parsed) -> Bool {
            (lhs.year, lhs.month, lhs.day, lhs.time ?? "") < (rhs.year, rhs.month, rhs.day, rhs.time ?? "")
        }

        private static func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
    }
}
