import AnalyticsCore
import GRDB

/// A UTC instant as SQLite stores timestamps, for the PostgreSQL-style date functions.
struct SQLiteMoment: Equatable {
    static let microsecondsPerDay: Int64 = 86_400_000_000

    /// Days since 1970-01-01.
    var days: Int64
    /// Microseconds since midnight.
    var microseconds: Int64

    init(days: Int64, microseconds: Int64) {
        self.days = days
        self.microseconds = microseconds
    }

    init(unixSeconds: Double) {
        let days = Int64((unixSeconds / 86_400).rounded(.down))
        self.days = days
        self.microseconds = min(Self.microsecondsPerDay - 1, max(0, Int64(((unixSeconds - Double(days) * 86_400) * 1_000_000).rounded())))
    }

    /// Text (`YYYY-MM-DD[( |T)HH:MM[:SS[.fff]]][Z|±HH[:MM]]`) or a number of Unix seconds; nil otherwise.
    init?(_ value: DatabaseValue) {
        switch value.storage {
        case .int64(let seconds): self.init(unixSeconds: Double(seconds))
        case .double(let seconds) where seconds.isFinite: self.init(unixSeconds: seconds)
        case .string(let text):
            guard let parsed = Self.parse(Array(text.utf8)) else { return nil }
            self = parsed
        default: return nil
        }
    }

    /// `YYYY-MM-DD HH:MM:SS`, SQLite's `datetime()` format.
    var text: String {
        let (year, month, day) = CivilCalendar.date(daysSince1970: self.days)
        let seconds = self.microseconds / 1_000_000
        return PostgresTemporalText.pad(Int(year), 4) + "-" + PostgresTemporalText.pad(month, 2) + "-" + PostgresTemporalText.pad(day, 2)
            + " " + PostgresTemporalText.pad(Int(seconds / 3600), 2) + ":" + PostgresTemporalText.pad(Int(seconds / 60 % 60), 2) + ":"
            + PostgresTemporalText.pad(Int(seconds % 60), 2)
    }

    /// Monday = 1 … Sunday = 7.
    var isoWeekday: Int {
        let weekday = CivilCalendar.weekday(daysSince1970: self.days)
        return weekday == 0 ? 7 : weekday
    }

    func truncated(to unit: String) throws -> SQLiteMoment {
        let (year, month, _) = CivilCalendar.date(daysSince1970: self.days)
        func start(_ year: Int64, _ month: Int) -> SQLiteMoment {
            SQLiteMoment(days: CivilCalendar.days(year: year, month: month, day: 1), microseconds: 0)
        }
        switch unit {
        case "microseconds", "microsecond": return self
        case "second", "seconds": return SQLiteMoment(days: self.days, microseconds: self.microseconds - self.microseconds % 1_000_000)
        case "minute", "minutes": return SQLiteMoment(days: self.days, microseconds: self.microseconds - self.microseconds % 60_000_000)
        case "hour", "hours": return SQLiteMoment(days: self.days, microseconds: self.microseconds - self.microseconds % 3_600_000_000)
        case "day", "days": return SQLiteMoment(days: self.days, microseconds: 0)
        case "week", "weeks": return SQLiteMoment(days: self.days - Int64(self.isoWeekday - 1), microseconds: 0)
        case "month", "months": return start(year, month)
        case "quarter": return start(year, (month - 1) / 3 * 3 + 1)
        case "year", "years": return start(year, 1)
        case "decade", "decades": return start(CivilCalendar.floorDivide(year, 10) * 10, 1)
        case "century", "centuries": return start(CivilCalendar.floorDivide(year - 1, 100) * 100 + 1, 1)
        case "millennium", "millennia": return start(CivilCalendar.floorDivide(year - 1, 1000) * 1000 + 1, 1)
        default: throw DatabaseError(message: "date_trunc: unit \"\(unit)\" not recognized")
        }
    }

    func part(_ field: String) throws -> Double {
        let (year, month, day) = CivilCalendar.date(daysSince1970: self.days)
        switch field {
        case "year", "years": return Double(year)
        case "quarter": return Double((month - 1) / 3 + 1)
        case "month", "months": return Double(month)
        case "day", "days": return Double(day)
        case "hour", "hours": return Double(self.microseconds / 3_600_000_000)
        case "minute", "minutes": return Double(self.microseconds / 60_000_000 % 60)
        case "second", "seconds": return Double(self.microseconds % 60_000_000) / 1_000_000
        case "dow": return Double(CivilCalendar.weekday(daysSince1970: self.days))
        case "isodow": return Double(self.isoWeekday)
        case "doy": return Double(self.days - CivilCalendar.days(year: year, month: 1, day: 1) + 1)
        case "week":
            let thursday = self.days - Int64(self.isoWeekday) + 4
            let isoYear = CivilCalendar.date(daysSince1970: thursday).year
            return Double((thursday - CivilCalendar.days(year: isoYear, month: 1, day: 1)) / 7 + 1)
        case "decade", "decades": return Double(CivilCalendar.floorDivide(year, 10))
        case "century", "centuries": return Double(year > 0 ? (year + 99) / 100 : -((99 - year) / 100))
        case "epoch": return Double(self.days * Self.microsecondsPerDay + self.microseconds) / 1_000_000
        default: throw DatabaseError(message: "date_part: field \"\(field)\" not recognized")
        }
    }

    // MARK: - Parsing

    private static func parse(_ bytes: [UInt8]) -> SQLiteMoment? {
        var reader = Reader(bytes: bytes)
        reader.skipSpaces()
        guard let year = reader.number(digits: 4), reader.take("-"), let month = reader.number(digits: 2), reader.take("-"),
            let day = reader.number(digits: 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var micros: Int64 = 0
        if reader.take("T") || reader.take(" ") {
            guard let hour = reader.number(digits: 2), reader.take(":"), let minute = reader.number(digits: 2), hour < 24, minute < 60 else {
                return nil
            }
            micros = Int64(hour) * 3_600_000_000 + Int64(minute) * 60_000_000
            if reader.take(":") {
                guard let second = reader.number(digits: 2), second < 60 else { return nil }
                micros += Int64(second) * 1_000_000
                if reader.take(".") {
                    var scale: Int64 = 100_000
                    var sawDigit = false
                    while let digit = reader.digit() {
                        sawDigit = true
                        micros += Int64(digit) * scale
                        scale /= 10
                    }
                    guard sawDigit else { return nil }
                }
            }
            reader.skipSpaces()
            if reader.take("Z") || reader.take("z") {
                // Already UTC.
            } else if let sign = reader.sign() {
                guard let hours = reader.number(digits: 2) else { return nil }
                var minutes = 0
                if reader.take(":") {
                    guard let value = reader.number(digits: 2) else { return nil }
                    minutes = value
                } else if let value = reader.number(digits: 2) {
                    minutes = value
                }
                micros -= Int64(sign) * (Int64(hours) * 3_600_000_000 + Int64(minutes) * 60_000_000)
            }
        }
        reader.skipSpaces()
        guard reader.atEnd else { return nil }
        var days = CivilCalendar.days(year: Int64(year), month: month, day: day)
        let shift = CivilCalendar.floorDivide(micros, Self.microsecondsPerDay)
        days += shift
        micros -= shift * Self.microsecondsPerDay
        return SQLiteMoment(days: days, microseconds: micros)
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { self.index == self.bytes.count }

        mutating func take(_ character: Character) -> Bool {
            guard let ascii = character.asciiValue, self.index < self.bytes.count, self.bytes[self.index] == ascii else { return false }
            self.index += 1
            return true
        }

        mutating func digit() -> Int? {
            guard self.index < self.bytes.count, (48...57).contains(self.bytes[self.index]) else { return nil }
            defer { self.index += 1 }
            return Int(self.bytes[self.index] - 48)
        }

        mutating func number(digits: Int) -> Int? {
            var value = 0
            for _ in 0..<digits {
                guard let digit = self.digit() else { return nil }
                value = value * 10 + digit
            }
            return value
        }

        mutating func sign() -> Int? {
            if self.take("+") { return 1 }
            if self.take("-") { return -1 }
            return nil
        }

        mutating func skipSpaces() {
            while self.index < self.bytes.count, self.bytes[self.index] == 32 { self.index += 1 }
        }
    }
}
