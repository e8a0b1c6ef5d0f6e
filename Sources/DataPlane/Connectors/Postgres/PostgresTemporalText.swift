import AnalyticsCore

/// Text forms of PostgreSQL's binary date/time values.
///
/// - `date` → `YYYY-MM-DD`
/// - `timestamp` → `YYYY-MM-DDTHH:MM:SS[.ffffff]` (no offset: the value has no zone)
/// - `timestamptz` → the same in UTC with a `Z` suffix
/// - `time` / `timetz` → PostgreSQL's own text (`HH:MM:SS[.ffffff]`, `timetz` adds `+HH[:MM]`)
/// - `interval` → ISO-8601 duration exactly as PostgreSQL writes it with `IntervalStyle = iso_8601`
///   (`P1Y2M3DT4H5M6S`, `PT1.5S`, `PT0S`; each field keeps its own sign, e.g. `P-1Y-2M3DT-4H`)
///
/// Fractional seconds appear only when non-zero, without trailing zeros. Values PostgreSQL spells
/// specially keep its spelling: `infinity`, `-infinity`, and a ` BC` suffix for years before 1 AD.
enum PostgresTemporalText {
    /// Days from 1970-01-01 to PostgreSQL's epoch 2000-01-01.
    static let epochOffsetDays: Int64 = 10_957
    static let microsecondsPerDay: Int64 = 86_400_000_000

    static func date(daysSince2000 days: Int32) -> String {
        if days == Int32.max { return "infinity" }
        if days == Int32.min { return "-infinity" }
        let (year, month, day) = CivilCalendar.date(daysSince1970: Int64(days) + self.epochOffsetDays)
        return self.dateText(year: year, month: month, day: day)
    }

    static func timestamp(microsecondsSince2000 micros: Int64, utc: Bool) -> String {
        if micros == Int64.max { return "infinity" }
        if micros == Int64.min { return "-infinity" }
        let days = CivilCalendar.floorDivide(micros, self.microsecondsPerDay)
        let timeOfDay = micros - days * self.microsecondsPerDay
        let (year, month, day) = CivilCalendar.date(daysSince1970: days + self.epochOffsetDays)
        var text = self.dateText(year: year, month: month, day: day, era: false)
        text += "T" + self.clock(microseconds: timeOfDay)
        if utc { text += "Z" }
        if year <= 0 { text += " BC" }
        return text
    }

    static func time(microseconds: Int64) -> String {
        self.clock(microseconds: microseconds)
    }

    /// `zoneSecondsWest` is PostgreSQL's internal zone: seconds *west* of UTC.
    static func timeWithZone(microseconds: Int64, zoneSecondsWest: Int32) -> String {
        var text = self.clock(microseconds: microseconds)
        let east = -Int(zoneSecondsWest)
        text += east >= 0 ? "+" : "-"
        let magnitude = abs(east)
        let hours = magnitude / 3600
        let minutes = magnitude / 60 % 60
        let seconds = magnitude % 60
        text += self.pad(hours, 2)
        if minutes != 0 || seconds != 0 { text += ":" + self.pad(minutes, 2) }
        if seconds != 0 { text += ":" + self.pad(seconds, 2) }
        return text
    }

    /// PostgreSQL's `iso_8601` interval style (`EncodeInterval` with `INTSTYLE_ISO_8601`).
    static func interval(microseconds: Int64, days: Int32, months: Int32) -> String {
        let years = months / 12
        let remainingMonths = months % 12
        var time = microseconds
        let hours = time / 3_600_000_000
        time -= hours * 3_600_000_000
        let minutes = time / 60_000_000
        time -= minutes * 60_000_000
        let seconds = time / 1_000_000
        let fraction = time - seconds * 1_000_000
        if years == 0, remainingMonths == 0, days == 0, hours == 0, minutes == 0, seconds == 0, fraction == 0 {
            return "PT0S"
        }
        var text = "P"
        if years != 0 { text += "\(years)Y" }
        if remainingMonths != 0 { text += "\(remainingMonths)M" }
        if days != 0 { text += "\(days)D" }
        if hours != 0 || minutes != 0 || seconds != 0 || fraction != 0 { text += "T" }
        if hours != 0 { text += "\(hours)H" }
        if minutes != 0 { text += "\(minutes)M" }
        if seconds != 0 || fraction != 0 {
            if seconds < 0 || fraction < 0 { text += "-" }
            text += String(abs(seconds)) + self.fractionText(abs(fraction)) + "S"
        }
        return text
    }

    // MARK: - Pieces

    static func clock(microseconds: Int64) -> String {
        let seconds = microseconds / 1_000_000
        let fraction = microseconds % 1_000_000
        let hours = seconds / 3600
        let minutes = seconds / 60 % 60
        let secs = seconds % 60
        return self.pad(Int(hours), 2) + ":" + self.pad(Int(minutes), 2) + ":" + self.pad(Int(secs), 2)
            + self.fractionText(fraction)
    }

    /// `.ffffff` without trailing zeros, or nothing for zero.
    static func fractionText(_ microseconds: Int64) -> String {
        guard microseconds != 0 else { return "" }
        var digits = self.pad(Int(microseconds), 6)
        while digits.hasSuffix("0") { digits.removeLast() }
        return "." + digits
    }

    static func dateText(year: Int64, month: Int, day: Int, era: Bool = true) -> String {
        let displayYear = year > 0 ? year : 1 - year
        let text = self.pad(Int(displayYear), 4) + "-" + self.pad(month, 2) + "-" + self.pad(day, 2)
        return era && year <= 0 ? text + " BC" : text
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
