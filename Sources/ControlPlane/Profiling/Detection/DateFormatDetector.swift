import Foundation

/// Recognises dates stored as text and the formats they are written in.
///
/// A value is read character by character against each known layout (no regular expressions):
/// `2024-03-05`, `2024-03-05 06:07:08`, `2024-03-05T06:07:08Z`, `2024/03/05`, `05/03/2024`,
/// `03/25/2024`, `05-03-2024`, `05.03.2024` and, when the column name speaks of dates, `20240305`.
/// Slash dates whose day and month are both ≤ 12 are ambiguous; they take the column's
/// unambiguous slash order (day first when nothing decides, as in Indian and European data).
struct DateFormatDetector: Sendable {
    /// Share of non-null probed values that must parse for a text column to count as holding dates.
    var minimumDateShare = 0.8
    /// Fewer probed values than this decide nothing.
    var minimumValues = 5

    struct Result: Sendable, Hashable {
        var first: DateFormat.Parsed
        var last: DateFormat.Parsed
        /// Share of parsed values per format, summing to 1.
        var shares: [DateFormat: Double]
        /// The most common format.
        var dominant: DateFormat
        /// Share of probed values that parsed at all.
        var dateShare: Double
    }

    /// Classifies probed values; nil when they are not (mostly) dates.
    func detect(_ values: [String], columnName: String) -> Result? {
        let trimmed = values.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard trimmed.count >= self.minimumValues else { return nil }
        let allowCompact = Self.nameSuggestsDate(columnName)
        var parsed: [(DateFormat, DateFormat.Parsed)] = []
        var ambiguous: [DateFormat.Parsed] = []
        var slashVotes = (dayFirst: 0, monthFirst: 0)
        for value in trimmed {
            guard let reading = Self.parse(value, allowCompact: allowCompact) else { continue }
            switch reading {
            case .definite(let format, let date):
                parsed.append((format, date))
                if format == .dayMonthSlash { slashVotes.dayFirst += 1 }
                if format == .monthDaySlash { slashVotes.monthFirst += 1 }
            case .ambiguousSlash(let dayFirst):
                ambiguous.append(dayFirst)
            }
        }
        let slashOrder: DateFormat = slashVotes.monthFirst > slashVotes.dayFirst ? .monthDaySlash : .dayMonthSlash
        for date in ambiguous {
            parsed.append(slashOrder == .dayMonthSlash ? (.dayMonthSlash, date) : (.monthDaySlash, Self.swapDayMonth(date)))
        }
        let dateShare = Double(parsed.count) / Double(trimmed.count)
        guard dateShare >= self.minimumDateShare, let first = parsed.map(\.1).min(), let last = parsed.map(\.1).max() else {
            return nil
        }
        var counts: [DateFormat: Int] = [:]
        for (format, _) in parsed { counts[format, default: 0] += 1 }
        let shares = counts.mapValues { Double($0) / Double(parsed.count) }
        let dominant = counts.max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }?.key ?? .isoDate
        return Result(first: first, last: last, shares: shares, dominant: dominant, dateShare: dateShare)
    }

    enum Reading {
        case definite(DateFormat, DateFormat.Parsed)
        /// `dd/mm/yyyy` read day first, both parts ≤ 12.
        case ambiguousSlash(DateFormat.Parsed)
    }

    /// Reads one value against every layout.
    static func parse(_ value: String, allowCompact: Bool = false) -> Reading? {
        let c = Array(value.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= c.count else { return nil }
            var number = 0
            for index in range {
                guard (0x30...0x39).contains(c[index]) else { return nil }
                number = number * 10 + Int(c[index] - 0x30)
            }
            return number
        }
        func date(_ year: Int?, _ month: Int?, _ day: Int?, time: String? = nil) -> DateFormat.Parsed? {
            guard let year, let month, let day, (1...9999).contains(year), (1...12).contains(month) else { return nil }
            let lengths = [31, year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            guard (1...lengths[month - 1]).contains(day) else { return nil }
            return DateFormat.Parsed(year: year, month: month, day: day, time: time)
        }
        let dash: UInt8 = 0x2D
        let slash: UInt8 = 0x2F
        let dot: UInt8 = 0x2E
        if c.count >= 10, c[4] == dash, c[7] == dash, let parsed = date(digits(0..<4), digits(5..<7), digits(8..<10)) {
            if c.count == 10 { return .definite(.isoDate, parsed) }
            guard let (time, rest) = Self.time(c, from: 11) else { return nil }
            var stamped = parsed
            stamped.time = time
            if c[10] == 0x20 && rest == c.count { return .definite(.isoDateTime, stamped) }
            if c[10] == 0x54 || c[10] == 0x20, Self.isZone(c, from: rest) { return .definite(.isoTimestamp, stamped) }
            return nil
        }
        guard c.count == 10 || (c.count == 8 && allowCompact) else { return nil }
        if c.count == 8 {
            return date(digits(0..<4), digits(4..<6), digits(6..<8)).map { .definite(.compact, $0) }
        }
        if c[4] == slash, c[7] == slash {
            return date(digits(0..<4), digits(5..<7), digits(8..<10)).map { .definite(.slashYearFirst, $0) }
        }
        guard c[2] == c[5], let first = digits(0..<2), let second = digits(3..<5), let year = digits(6..<10) else { return nil }
        switch c[2] {
        case dash: return date(year, second, first).map { .definite(.dayMonthDash, $0) }
        case dot: return date(year, second, first).map { .definite(.dayMonthDot, $0) }
        case slash:
            if first > 12 { return date(year, second, first).map { .definite(.dayMonthSlash, $0) } }
            if second > 12 { return date(year, first, second).map { .definite(.monthDaySlash, $0) } }
            return date(year, second, first).map { .ambiguousSlash($0) }
        default: return nil
        }
    }

    /// `HH:MM` or `HH:MM:SS` with optional fraction at `start`; returns `HH:MM:SS` and the index after it.
    private static func time(_ c: [UInt8], from start: Int) -> (String, Int)? {
        func two(_ index: Int) -> Int? {
            guard index + 1 < c.count, (0x30...0x39).contains(c[index]), (0x30...0x39).contains(c[index + 1]) else { return nil }
            return Int(c[index] - 0x30) * 10 + Int(c[index + 1] - 0x30)
        }
        guard let hour = two(start), hour < 24, start + 2 < c.count, c[start + 2] == 0x3A, let minute = two(start + 3), minute < 60 else {
            return nil
        }
        var index = start + 5
        var second = 0
        if index < c.count, c[index] == 0x3A {
            guard let s = two(index + 1), s < 61 else { return nil }
            second = s
            index += 3
            if index < c.count, c[index] == 0x2E {
                index += 1
                while index < c.count, (0x30...0x39).contains(c[index]) { index += 1 }
            }
        }
        func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return ("\(pad(hour)):\(pad(minute)):\(pad(second))", index)
    }

    /// Nothing, `Z`, or `±HH`, `±HHMM`, `±HH:MM` from `index` to the end.
    private static func isZone(_ c: [UInt8], from index: Int) -> Bool {
        if index == c.count { return true }
        if c[index] == 0x5A { return index + 1 == c.count }
        guard c[index] == 0x2B || c[index] == 0x2D else { return false }
        let rest = c[(index + 1)...].filter { $0 != 0x3A }
        return (rest.count == 2 || rest.count == 4) && rest.allSatisfy { (0x30...0x39).contains($0) }
    }

    private static func swapDayMonth(_ date: DateFormat.Parsed) -> DateFormat.Parsed {
        var swapped = date
        swapped.day = date.month
        swapped.month = date.day
        return swapped
    }

    /// Whether a column name mentions a date or day (then `20240305` counts as a date).
    static func nameSuggestsDate(_ name: String) -> Bool {
        let tokens = NameTokens.split(name)
        return tokens.contains { ["date", "day", "dt", "dob", "ymd", "yyyymmdd"].contains($0) }
    }
}
