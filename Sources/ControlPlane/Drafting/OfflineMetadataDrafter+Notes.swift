import AnalyticsCore

extension OfflineMetadataDrafter {
    /// Questions the dataset can answer, from its weighting, dimensions, event tables and measures.
    func useCases(_ facts: DatasetFacts) -> [String] {
        var cases: [String] = []
        let dimensions = facts.dimensions.map { WeightingSuggesterText.humanized($0).lowercased() }
        let by = dimensions.isEmpty ? "" : " by " + dimensions.prefix(3).joined(separator: ", ")
        if facts.weightColumn != nil {
            cases.append("Weighted profile of the population\(by), with unweighted and effective bases.")
        }
        for name in facts.eventTables.prefix(3) {
            guard let table = facts.tables.first(where: { $0.qualifiedName == name }) else { continue }
            let label = WeightingSuggesterText.humanized(table.name).lowercased()
            let measures = table.columns.filter { $0.roles.contains("measure") }.map { WeightingSuggesterText.humanized($0.name).lowercased() }
            if facts.weightColumn != nil {
                cases.append("Weighted reach of \(label) (share of people with at least one event)\(by).")
                if let measure = measures.first {
                    cases.append("Average \(measure) per person in \(label)\(by), and projected totals.")
                }
            } else {
                cases.append("Counts of \(label) over time" + (measures.first.map { " and totals of \($0)" } ?? "") + ".")
            }
            if table.columns.contains(where: { $0.roles.contains("event_time") }) {
                cases.append("Trends in \(label) over time, by day, week or month.")
            }
        }
        if cases.isEmpty {
            for table in facts.tables.prefix(2) {
                let categorical = table.columns.first { column in
                    column.pii == nil && !column.topValues.isEmpty && (column.distinctEstimate ?? .infinity) <= 100
                }
                let label = WeightingSuggesterText.humanized(table.name).lowercased()
                cases.append(
                    "Counts of \(label)" + (categorical.map { " by \(WeightingSuggesterText.humanized($0.name).lowercased())" } ?? "") + "."
                )
            }
        }
        return Array(cases.prefix(6))
    }

    /// The findings as reviewer-facing notes (most severe first), plus sampling and personal data.
    func qualityNotes(_ facts: DatasetFacts, findings: [QualityFinding], profileVersion: Int) -> [String] {
        var notes: [String] = []
        let ordered = findings.enumerated().sorted { lhs, rhs in
            lhs.element.severity != rhs.element.severity ? lhs.element.severity > rhs.element.severity : lhs.offset < rhs.offset
        }
        for entry in ordered.prefix(10) {
            notes.append("\(entry.element.severity.rawValue.capitalized): \(entry.element.message) (\(entry.element.ruleID))")
        }
        if findings.count > 10 { notes.append("… and \(findings.count - 10) more findings; see the quality report.") }
        if findings.isEmpty { notes.append("No data-quality findings in profile version \(profileVersion).") }
        let sampled = facts.tables.filter { $0.samplePercent < 100 }
        if !sampled.isEmpty {
            notes.append(
                "Statistics of \(sampled.map(\.qualifiedName).joined(separator: ", ")) come from a sample; exact figures need a query."
            )
        }
        if !facts.piiColumns.isEmpty {
            notes.append("Personal data in \(facts.piiColumns.joined(separator: ", ")); values are masked in every output.")
        }
        return notes
    }

    /// Concrete fixes, one per kind of finding, plus documentation gaps.
    func improvementSuggestions(_ facts: DatasetFacts, findings: [QualityFinding]) -> [String] {
        var suggestions: [String] = []
        func locations(_ prefix: String) -> String {
            let places = findings.filter { $0.ruleID.hasPrefix(prefix) }.map { finding in
                [finding.table, finding.column].compactMap { $0 }.joined(separator: ".")
            }
            var seen = Set<String>()
            return places.filter { !$0.isEmpty && seen.insert($0).inserted }.prefix(5).joined(separator: ", ")
        }
        let rules = Set(findings.map(\.ruleID))
        func has(_ prefix: String) -> Bool { rules.contains { $0.hasPrefix(prefix) } }
        if has("naming.") {
            suggestions.append("Rename columns to lower snake_case without reserved words (\(locations("naming.").nonEmpty ?? "see findings")).")
        }
        if has("dates.") {
            suggestions.append("Store dates as a date type, or in one ISO 8601 format (\(locations("dates.").nonEmpty ?? "see findings")).")
        }
        if has("weight.") {
            suggestions.append("Review the weights: every respondent needs a positive weight, and extreme weights lower the effective base.")
        }
        if has("column.") {
            suggestions.append(
                "Drop or document columns that are empty, mostly empty or constant (\(locations("column.").nonEmpty ?? "see findings"))."
            )
        }
        if has("key.missing") { suggestions.append("Declare primary keys (\(locations("key.missing").nonEmpty ?? "see findings")).") }
        if has("key.duplicates") { suggestions.append("Remove duplicate keys (\(locations("key.duplicates").nonEmpty ?? "see findings")).") }
        if has("fk.") { suggestions.append("Fix or remove rows that reference missing parents (\(locations("fk.").nonEmpty ?? "see findings")).") }
        if has("pii.") || !facts.piiColumns.isEmpty {
            suggestions.append("Keep personal data out of the analytical copy, or hash it, so it cannot leak through queries.")
        }
        let commented = facts.tables.contains { $0.comment?.isEmpty == false || $0.columns.contains { $0.comment?.isEmpty == false } }
        if !commented {
            suggestions.append("Add table and column comments in the database (COMMENT ON …); they flow into this documentation.")
        }
        if facts.weightColumn == nil, facts.tables.contains(where: { $0.columns.contains { $0.roles.contains("respondent_key") } }) {
            suggestions.append("If this is a survey or panel, add the respondent weight so figures can be projected to the population.")
        }
        return suggestions
    }

    /// The dataset's tags plus what the profile shows (weighted, panel, events), lowercase, at most 8.
    func tags(_ dataset: Dataset, _ facts: DatasetFacts) -> [String] {
        var tags = dataset.tags
        if facts.weightColumn != nil { tags += ["weighted", "panel"] }
        if !facts.eventTables.isEmpty { tags.append("events") }
        if facts.dateSpan != nil { tags.append("time-series") }
        var seen = Set<String>()
        return Array(tags.map { $0.lowercased() }.filter { seen.insert($0).inserted }.prefix(8))
    }
}

extension String {
    /// `nil` when empty, for "… or a fallback" phrasing.
    fileprivate var nonEmpty: String? { self.isEmpty ? nil : self }
}
