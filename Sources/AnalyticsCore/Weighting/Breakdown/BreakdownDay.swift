import Foundation

/// A calendar day (proleptic Gregorian, no time zone) for date windows: "last 90 days" ending on a
/// reference day. Stored as days since 1970-01-01 so adding days is exact.
public struct BreakdownDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// `YYYY-MM-DD`, or the date part of a timestamp text (`YYYY-MM-DD HH:MM:SS`, `…T…`); nil otherwise.
    public init?(_ text: String) {
        let head = text.prefix(10)
        let parts = head.split(separator: "-", omittingEmptySubsequences: false)
        guard head.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...CivilCalendar.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        if text.count > 10 {
            let separator = text[text.index(text.startIndex, offsetBy: 10)]
            guard separator == " " || separator == "T" else { return nil }
        }
        self.daysSinceEpoch = Int(CivilCalendar.days(year: Int64(year), month: month, day: day))
    }

    /// The UTC day of `date`.
    public init(_ date: Date) {
        self.daysSinceEpoch = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    public func adding(days: Int) -> BreakdownDay {
        BreakdownDay(daysSinceEpoch: self.daysSinceEpoch + days)
    }

    public var description: String {
        let (year, month, day) = CivilCalendar.date(daysSince1970: Int64(self.daysSinceEpoch))
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + (month < 10 ? "0" : "") + String(month) + "-"
            + (day < 10 ? "0" : "") + String(day)
    }

    public static func < (lhs: BreakdownDay, rhs: BreakdownDay) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
}
