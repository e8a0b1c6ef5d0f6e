import AnalyticsCore
import Foundation

/// The few facts that identify a dataset in lists and search results (level 1 in brief).
struct DatasetSummary: Sendable {
    var dataset: Dataset
    var profile: DatasetProfile?

    /// The first sentence of the description, at most `limit` characters.
    static func summary(of description: String, limit: Int = 160) -> String {
        let trimmed = description.trimmingCharacters(in: .whitespacesAndNewlines)
        let sentence = trimmed.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: true).first.map(String.init) ?? trimmed
        let text = sentence.count < trimmed.count ? sentence + "." : sentence
        return text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// The span of dates the dataset covers: event-time columns when the profiler marked any,
    /// otherwise every column with date coverage.
    var coverage: DateCoverage? {
        let columns = (self.profile?.tables ?? []).flatMap(\.columns).filter { $0.dateCoverage != nil }
        let preferred = columns.filter { $0.roles.contains("event_time") }
        let spans = (preferred.isEmpty ? columns : preferred).compactMap(\.dateCoverage)
        guard let first = spans.map(\.first).min(), let last = spans.map(\.last).max() else { return nil }
        return DateCoverage(first: Self.day(first), last: Self.day(last))
    }

    /// `2026-11-25 23:40:00` → `2026-11-25`: coverage is about days, and columns differ in precision.
    static func day(_ value: String) -> String {
        let prefix = value.prefix(10)
        let isDate =
            prefix.count == 10
            && prefix.enumerated().allSatisfy { index, character in
                index == 4 || index == 7 ? character == "-" : character.isASCII && character.isNumber
            }
        return isDate ? String(prefix) : value
    }

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(self.dataset.id),
            "name": .string(self.dataset.name),
            "summary": .string(Self.summary(of: self.dataset.description)),
            "tags": .array(self.dataset.tags.map(JSONValue.string)),
            "weighted": .bool(self.dataset.weighting != nil),
            "coverage": self.coverage.map { ["first": .string($0.first), "last": .string($0.last)] } ?? .null,
        ]
        if let profile { object["tables"] = .int(Int64(profile.tables.count)) }
        return .object(object)
    }

    /// One line: `id — name (weighted; 2024-01-01..2024-12-31; tags: a, b): summary`.
    var line: String {
        var facts: [String] = [self.dataset.weighting == nil ? "unweighted" : "weighted"]
        if let coverage { facts.append("\(coverage.first)..\(coverage.last)") }
        if !self.dataset.tags.isEmpty { facts.append("tags: " + self.dataset.tags.joined(separator: ", ")) }
        let summary = Self.summary(of: self.dataset.description)
        return "- \(self.dataset.id) — \(self.dataset.name) (\(facts.joined(separator: "; ")))" + (summary.isEmpty ? "" : ": \(summary)")
    }
}
