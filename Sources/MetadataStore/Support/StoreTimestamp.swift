import AnalyticsCore
import Foundation

/// How both stores write times: UTC, millisecond precision.
///
/// Every date a store writes is first rounded to a whole millisecond, so a value read back is equal
/// (`==`) to the value that was written whatever the backend's own precision (SQLite keeps text,
/// PostgreSQL microseconds). SQLite columns hold the fixed-width ISO 8601 form
/// `2025-01-02T03:04:05.678Z`, which sorts as text in time order.
enum StoreTimestamp {
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// The date rounded to the store's precision.
    static func normalize(_ date: Date) -> Date {
        self.date(milliseconds: self.milliseconds(date))
    }

    static func normalize(_ date: Date?) -> Date? {
        date.map { self.normalize($0) }
    }

    /// The current time at the store's precision.
    static func now() -> Date {
        self.normalize(Date())
    }

    /// `yyyy-MM-ddTHH:mm:ss.SSSZ` in UTC.
    static func text(_ date: Date) -> String {
        let ms = self.milliseconds(date)
        let dayLength: Int64 = 86_400_000
        let days = ms >= 0 ? ms / dayLength : (ms - dayLength + 1) / dayLength
        var rest = ms - days * dayLength
        let civil = CivilCalendar.date(daysSince1970: days)
        let (year, month, day) = (civil.year, Int64(civil.month), Int64(civil.day))
        let hour = rest / 3_600_000
        rest -= hour * 3_600_000
        let minute = rest / 60_000
        rest -= minute * 60_000
        let second = rest / 1000
        let milli = rest - second * 1000
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(milli, 3))Z"
    }

    /// Parses the form ``text(_:)`` writes; `nil` for anything else.
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54, bytes[13] == 0x3A,
            bytes[16] == 0x3A, bytes[19] == 0x2E, bytes[23] == 0x5A
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                let byte = bytes[index]
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            let milli = number(20..<23), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60,
            second < 61
        else { return nil }
        let days = CivilCalendar.days(year: year, month: Int(month), day: Int(day))
        let ms = ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + milli
        return self.date(milliseconds: ms)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
