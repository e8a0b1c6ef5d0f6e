import AnalyticsCore
import Foundation
import Testing

/// Reads the numbers back out of a narrative and holds them to the row's own figures: counts
/// exactly, other numbers within half a unit of the last digit shown.
enum NarrativeCheck {
    static func numbers(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).compactMap { match in
            guard match.numberOfRanges > 1, let r = Range(match.range(at: 1), in: text) else { return nil }
            return String(text[r])
        }
    }

    static func value(_ text: String) -> Double? { Double(text.replacingOccurrences(of: ",", with: "")) }

    /// Half a unit of the last digit of `text` ("38.2" → 0.05, "1,204" → 0.5).
    static func halfUnit(_ text: String) -> Double {
        guard let dot = text.firstIndex(of: ".") else { return 0.5 }
        return 0.5 * pow(10, -Double(text.distance(from: dot, to: text.endIndex) - 1))
    }

    static func matches(_ shown: String, _ value: Double) -> Bool {
        guard let parsed = self.value(shown) else { return false }
        return abs(parsed - value) <= self.halfUnit(shown) + 1e-9 * max(1, abs(value))
    }

    /// Checks `row.narrative` against the row; `measure` picks which value pattern to read.
    static func check(_ row: BreakdownRow, measure: BreakdownMeasure.Kind, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = row.narrative
        let e = row.estimate
        #expect(
            self.numbers(#"\(n=([\d,]+)"#, in: text).first.flatMap(self.value) == Double(e.unweightedN),
            "n in: \(text)",
            sourceLocation: sourceLocation
        )
        guard !e.suppressed, let value = e.value else {
            #expect(text.contains("withheld") || text.contains("no estimate"), "\(text)", sourceLocation: sourceLocation)
            #expect(!text.contains("effective n="), "\(text)", sourceLocation: sourceLocation)
            return
        }
        let effective = self.numbers(#"effective n=([\d,]+)\)"#, in: text).first.flatMap(self.value)
        #expect(effective == e.effectiveN.rounded(), "effective n in: \(text)", sourceLocation: sourceLocation)
        switch measure {
        case .share:
            let percent = self.numbers(#"\), ([\d.]+)% "#, in: text).first
            let margin = self.numbers(#"\(±([\d.]+) pts\)"#, in: text).first
            #expect(percent.map { self.matches($0, value * 100) } == true, "share in: \(text)", sourceLocation: sourceLocation)
            #expect(margin.map { self.matches($0, (e.interval?.margin ?? .nan) * 100) } == true, "margin in: \(text)", sourceLocation: sourceLocation)
        case .mean, .total, .perUser:
            let shown = self.numbers(#" is (-?[\d,]+(?:\.\d+)?)"#, in: text).first
            #expect(shown.map { self.matches($0, value) } == true, "value in: \(text)", sourceLocation: sourceLocation)
        }
        #expect(text.contains("read with caution") == e.caution, "caution in: \(text)", sourceLocation: sourceLocation)
    }
}
