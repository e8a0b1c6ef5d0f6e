import AnalyticsCore
import Foundation
import LLMClient

/// Drafts a dataset's documentation without a language model, deterministically, from the profile:
/// the same profile always gives the same draft.
///
/// It is what the server uses when no API key is configured (the demo, tests, air-gapped sites),
/// and what fills in tables and columns a model's draft left out. It writes plainly from what the
/// profile knows — comments, names, types, statistics, suspected roles, personal-data flags, the
/// suggested weighting — and from the quality findings; it never invents facts.
public struct OfflineMetadataDrafter: Sendable {
    /// The author recorded on metadata versions it drafts.
    public static let author = "offline-drafter"
    /// Longest summary, as the draft schema asks.
    static let summaryLimit = 200

    public init() {}

    public func draft(dataset: Dataset, profile: DatasetProfile, findings: [QualityFinding]) -> MetadataDraft {
        let facts = DatasetFacts(profile: profile)
        return MetadataDraft(
            summary: self.summary(dataset, facts),
            description: self.description(dataset, facts, findings: findings),
            dataDictionary: profile.tables.map { self.table($0, facts: facts) },
            useCases: self.useCases(facts),
            qualityNotes: self.qualityNotes(facts, findings: findings, profileVersion: profile.version),
            improvementSuggestions: self.improvementSuggestions(facts, findings: findings),
            suggestedTags: self.tags(dataset, facts)
        )
    }

    func summary(_ dataset: Dataset, _ facts: DatasetFacts) -> String {
        var parts = ["\(dataset.name): \(Self.count(facts.tables.count, "table")) with \(Self.number(facts.totalRows)) rows"]
        if facts.weightColumn != nil { parts.append("survey-weighted") }
        if let span = facts.dateSpan { parts.append("covering \(span.first) to \(span.last)") }
        let text = parts.joined(separator: ", ") + "."
        return text.count <= Self.summaryLimit ? text : String(text.prefix(Self.summaryLimit - 1)) + "…"
    }

    func description(_ dataset: Dataset, _ facts: DatasetFacts, findings: [QualityFinding]) -> String {
        var paragraphs: [String] = []
        let tables = facts.tables.map { "\($0.qualifiedName) (\(Self.number($0.rowCount)) rows\($0.rowCountExact ? "" : ", estimated"))" }
        paragraphs.append("\(dataset.name) holds \(Self.count(facts.tables.count, "table")): \(tables.joined(separator: ", ")).")
        if let span = facts.dateSpan {
            paragraphs.append("Dates in the data run from \(span.first) to \(span.last) (\(span.columns.joined(separator: ", "))).")
        }
        if let respondents = facts.respondentTable, let key = facts.respondentKey, let weight = facts.weightColumn {
            var text =
                "The unit of observation is the respondent: one row of \(respondents) per respondent, keyed by \(key). "
                + "Figures about the population are weighted by \(weight); report the unweighted and effective base with each weighted figure."
            if !facts.dimensions.isEmpty {
                text += " Persona dimensions: \(facts.dimensions.joined(separator: ", "))."
            }
            if !facts.eventTables.isEmpty {
                text += " Event tables linked to respondents: \(facts.eventTables.joined(separator: ", "))."
            }
            paragraphs.append(text)
        } else {
            paragraphs.append("No respondent weight was detected, so figures describe the rows as stored rather than a population.")
        }
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.filter { $0.severity == .warning }.count
        paragraphs.append(
            findings.isEmpty
                ? "The profiler's quality rules raised no findings."
                : "The profiler's quality rules raised \(Self.count(findings.count, "finding")) (\(errors) errors, \(warnings) warnings); see the quality notes."
        )
        return paragraphs.joined(separator: "\n\n")
    }

    /// `3 tables`, `1 table`.
    static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }

    /// `41,203`.
    static func number(_ n: Int64) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// `0.123` → `12.3%`.
    static func percent(_ share: Double) -> String {
        let value = (share * 1000).rounded() / 10
        return value == value.rounded() ? "\(Int(value))%" : "\(value)%"
    }
}
