import AnalyticsCore
import Foundation

/// The tests' own arithmetic: group sums and the figures DESIGN §5.2 defines, computed with plain
/// Swift over ``PanelRows`` — the merge map and formulas written out here, independently of the
/// code under test.
enum Oracle {
    /// The demo config's NCCS merges, written out.
    static let nccsMerge = ["A1": "A", "C": "C/D/E", "D": "C/D/E", "E": "C/D/E"]

    static func reportedNCCS(_ raw: String) -> String { self.nccsMerge[raw] ?? raw }

    struct Sums: Sendable {
        var n = 0
        var sumW = 0.0
        var sumW2 = 0.0
        var sumWX = 0.0
        var sumWHit = 0.0
        var nHit = 0
        var sumW2Hit = 0.0

        mutating func add(weight w: Double, x: Double, hit: Bool) {
            self.n += 1
            self.sumW += w
            self.sumW2 += w * w
            self.sumWX += w * x
            if hit {
                self.sumWHit += w
                self.nHit += 1
                self.sumW2Hit += w * w
            }
        }

        var share: Double { self.sumWHit / self.sumW }
        var mean: Double { self.sumWX / self.sumW }
        var perUser: Double { self.sumWX / self.sumWHit }
        var effectiveN: Double { self.sumW * self.sumW / self.sumW2 }
        var effectiveNReached: Double { self.sumWHit * self.sumWHit / self.sumW2Hit }
        var margin: Double { 1.96 * (self.share * (1 - self.share) / self.effectiveN).squareRoot() }
    }

    /// Sums per group key over the respondents `include` keeps.
    static func groups(
        _ respondents: [PanelRows.Respondent],
        include: (PanelRows.Respondent) -> Bool = { _ in true },
        key: (PanelRows.Respondent) -> String,
        x: (PanelRows.Respondent) -> Double = { _ in 0 },
        hit: (PanelRows.Respondent) -> Bool = { _ in false }
    ) -> [String: Sums] {
        var result: [String: Sums] = [:]
        for r in respondents where include(r) {
            result[key(r), default: Sums()].add(weight: r.weight, x: x(r), hit: hit(r))
        }
        return result
    }

    /// `day` shifted by `days` (negative for earlier), both `YYYY-MM-DD`, through Foundation's calendar.
    static func day(_ day: String, adding days: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        guard let date = formatter.date(from: day), let shifted = calendar.date(byAdding: .day, value: days, to: date) else { return day }
        return formatter.string(from: shifted)
    }

    /// The first `by` value of a row ("" when it has none or it is missing).
    static func key(_ row: BreakdownRow) -> String {
        row.dimensions.first.flatMap(\.value) ?? ""
    }

    /// Whether two figures agree up to floating-point summation order.
    static func close(_ a: Double?, _ b: Double?, tolerance: Double = 1e-9) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return abs(a - b) <= tolerance * max(1, abs(a), abs(b))
    }
}
