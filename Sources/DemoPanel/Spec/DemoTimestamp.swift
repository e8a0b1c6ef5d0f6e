/// A minute-precision local timestamp (no time zone), as panel meters record viewing sessions.
public struct DemoTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Minutes since 1970-01-01 00:00.
    public let minutesSinceEpoch: Int

    public init(minutesSinceEpoch: Int) {
        self.minutesSinceEpoch = minutesSinceEpoch
    }

    public init(day: DemoDay, minuteOfDay: Int) {
        self.minutesSinceEpoch = day.daysSinceEpoch * 1_440 + minuteOfDay
    }

    public var day: DemoDay {
        let m = self.minutesSinceEpoch
        return DemoDay(daysSinceEpoch: m >= 0 ? m / 1_440 : (m - 1_439) / 1_440)
    }

    public var minuteOfDay: Int {
        self.minutesSinceEpoch - self.day.daysSinceEpoch * 1_440
    }

    /// `YYYY-MM-DD HH:MM:00`, read by SQLite's date functions and PostgreSQL's `timestamp` input alike.
    public var text: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(19)
        self.appendText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    public var description: String { self.text }

    public static func < (lhs: DemoTimestamp, rhs: DemoTimestamp) -> Bool {
        lhs.minutesSinceEpoch < rhs.minutesSinceEpoch
    }

    func appendText(to bytes: inout [UInt8]) {
        self.day.appendText(to: &bytes)
        let minute = self.minuteOfDay
        bytes.append(UInt8(ascii: " "))
        DemoDay.appendDigits(minute / 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        DemoDay.appendDigits(minute % 60, width: 2, to: &bytes)
        bytes.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: "0"), UInt8(ascii: "0")])
    }
}
