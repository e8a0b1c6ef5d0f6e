import Foundation

/// Locale-independent number text for narratives, so the same row always reads the same.
///
/// Rules (the tests hold narratives to them): counts with thousands separators ("1,204");
/// percentages and margins with one decimal ("38.2%", "±3.0 pts"); other values with 2 decimals
/// below 100, 1 below 100,000 and none above ("4.23", "1,234.5", "12,345,678").
public enum NarrativeNumbers {
    public static func count(_ value: Int) -> String {
        self.grouped(String(value.magnitude), negative: value < 0)
    }

    public static func percent(_ share: Double) -> String {
        String(format: "%.1f", share * 100)
    }

    public static func decimal(_ value: Double) -> String {
        let magnitude = abs(value)
        let places = magnitude < 100 ? 2 : magnitude < 100_000 ? 1 : 0
        return self.fixed(value, places: places)
    }

    /// `value` with `places` decimals and grouped integer digits.
    public static func fixed(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "n/a" }
        let text = String(format: "%.\(places)f", abs(value))
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integer = self.grouped(String(parts[0]), negative: value < 0 && text.contains(where: { $0 != "0" && $0 != "." }))
        return parts.count > 1 ? integer + "." + parts[1] : integer
    }

    static func grouped(_ digits: String, negative: Bool) -> String {
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return (negative ? "-" : "") + result
    }
}
