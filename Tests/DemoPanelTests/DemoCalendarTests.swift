import AnalyticsCore
import DataPlane
import DemoPanel
import Foundation
import Testing

@Suite("Demo panel calendar")
struct DemoCalendarTests {
    /// Foundation's Gregorian calendar in UTC is the independent oracle for the day arithmetic.
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)!
        return calendar
    }()

    @Test("days agree with Foundation's calendar across four centuries")
    func civilMatchesFoundation() throws {
        var random = DemoRandom(seed: 99)
        for _ in 0..<2_000 {
            let days = random.nextInt(below: 146_097) - 30_000
            let day = DemoDay(daysSinceEpoch: days)
            let date = Date(timeIntervalSince1970: Double(days) * 86_400)
            let parts = Self.calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            #expect(day.civil.year == parts.year)
            #expect(day.civil.month == parts.month)
            #expect(day.civil.day == parts.day)
            // Foundation: 1 = Sunday … 7 = Saturday; DemoDay: 0 = Monday … 6 = Sunday.
            #expect((day.weekday + 1) % 7 + 1 == parts.weekday)
            let rebuilt = try DemoDay(year: day.civil.year, month: day.civil.month, day: day.civil.day)
            #expect(rebuilt == day)
            #expect(try DemoDay(parsing: day.text) == day)
            #expect(DemoDay.today(date) == day)
        }
    }

    @Test("adding months agrees with Foundation, clamping to the month's end")
    func addingMonths() throws {
        var random = DemoRandom(seed: 5)
        for _ in 0..<500 {
            let day = DemoDay(daysSinceEpoch: 10_000 + random.nextInt(below: 20_000))
            let months = random.nextInt(below: 61) - 30
            let date = Date(timeIntervalSince1970: Double(day.daysSinceEpoch) * 86_400)
            let expected = try #require(Self.calendar.date(byAdding: .month, value: months, to: date))
            #expect(day.adding(months: months) == DemoDay.today(expected))
        }
        let leapEnd = try DemoDay(year: 2024, month: 3, day: 31).adding(months: -1)
        #expect(leapEnd.text == "2024-02-29")
    }

    @Test(
        "impossible or malformed dates are INVALID_REQUEST",
        arguments: ["2023-02-29", "2025-13-01", "2025-00-10", "2025-6-30", "30/06/2025", "", "abcd-ef-gh"]
    )
    func badDates(text: String) {
        let error = DemoFixtures.analyticsError { _ = try DemoDay(parsing: text) }
        #expect(error?.code == .invalidRequest)
    }

    @Test("timestamps print as YYYY-MM-DD HH:MM:00 and split back into day and minute")
    func timestamps() throws {
        let day = try DemoDay(year: 2025, month: 1, day: 5)
        let stamp = DemoTimestamp(day: day, minuteOfDay: 21 * 60 + 7)
        #expect(stamp.text == "2025-01-05 21:07:00")
        #expect(stamp.day == day)
        #expect(stamp.minuteOfDay == 21 * 60 + 7)
        let early = DemoTimestamp(day: DemoDay(daysSinceEpoch: -1), minuteOfDay: 5)
        #expect(early.text == "1969-12-31 00:05:00")
        #expect(early.day.daysSinceEpoch == -1)
    }
}
