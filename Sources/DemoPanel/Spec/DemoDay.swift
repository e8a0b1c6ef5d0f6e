import AnalyticsCore
import Foundation

/// A calendar day in the proleptic Gregorian calendar, counted from 1970-01-01.
///
/// The demo panel works in whole days and minutes without time zones (its timestamps are
/// `timestamp without time zone`, read as local panel time), so plain day arithmetic keeps generation
/// deterministic and fast: no `Calendar`, no `DateFormatter`, no dependence on the machine's zone.
public struct DemoDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    public let daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// A day from its civil date; an impossible date (e.g. February 30) is `INVALID_REQUEST`.
    public init(year: Int, month: Int, day: Int) throws {
        guard (1...9999).contains(year), (1...12).contains(month), (1...CivilCalendar.daysIn(month: month, year: year)).contains(day) else {
            throw AnalyticsError.invalidRequest(
                "\(year)-\(month)-\(day) is not a valid date.",
                hint: "Give a date as YYYY-MM-DD, e.g. 2025-06-30."
            )
        }
        self.daysSinceEpoch = Int(CivilCalendar.days(year: Int64(year), month: month, day: day))
    }

    /// Parses `YYYY-MM-DD`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else {
            throw AnalyticsError.invalidRequest("'\(text)' is not a date.", hint: "Give a date as YYYY-MM-DD, e.g. 2025-06-30.")
        }
        try self.init(year: year, month: month, day: day)
    }

    /// The UTC day containing `date`: the default end of the demo panel's history, so "last 90 days"
    /// questions asked today find data.
    public static func today(_ date: Date = Date()) -> DemoDay {
        DemoDay(daysSinceEpoch: Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
    }

    public var civil: (year: Int, month: Int, day: Int) {
        let date = CivilCalendar.date(daysSince1970: Int64(self.daysSinceEpoch))
        return (Int(date.year), date.month, date.day)
    }

    /// 0 = Monday … 6 = Sunday.
    public var weekday: Int {
        ((self.daysSinceEpoch % 7) + 7 + 3) % 7
    }

    public func adding(days: Int) -> DemoDay {
        DemoDay(daysSinceEpoch: self.daysSinceEpoch + days)
    }

    /// The same day of the month `months` later (or earlier), clamped to the month's last day.
    public func adding(months: Int) -> DemoDay {
        let (year, month, day) = self.civil
        let index = year * 12 + (month - 1) + months
        let newYear = index >= 0 ? index / 12 : (index - 11) / 12
        let newMonth = index - newYear * 12 + 1
        let newDay = min(day, CivilCalendar.daysIn(month: newMonth, year: newYear))
        return DemoDay(daysSinceEpoch: Int(CivilCalendar.days(year: Int64(newYear), month: newMonth, day: newDay)))
    }

    /// `YYYY-MM-DD`, the form both SQLite date functions and PostgreSQL `date` input read.
    public var text: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        self.appendText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    public var description: String { self.text }

    public static func < (lhs: DemoDay, rhs: DemoDay) -> Bool {
        lhs.daysSinceEpoch < rhs.daysSinceEpoch
    }

    func appendText(to bytes: inout [UInt8]) {
        let (year, month, day) = self.civil
        Self.appendDigits(year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Self.appendDigits(month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Self.appendDigits(day, width: 2, to: &bytes)
    }

    static func appendDigits(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }
}
