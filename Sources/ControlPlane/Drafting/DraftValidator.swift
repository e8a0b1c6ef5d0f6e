import AnalyticsCore
import LLMClient

/// Holds a model's draft against the profile it was drafted from.
///
/// Tables and columns the profile does not have are dropped and reported; tables and columns the
/// draft left out are documented from the profile by the offline drafter and reported; names are
/// normalised to the profile's spelling; a column the profiler flagged as personal data is always
/// marked `pii`; semantic types outside the schema's set become `other`; tags are tidied. The
/// dictionary comes out in the profile's order, so a validated draft always documents exactly the
/// profile's tables and columns.
public struct DraftValidator: Sendable {
    let profile: DatasetProfile
    let fallback: OfflineMetadataDrafter

    public init(profile: DatasetProfile, fallback: OfflineMetadataDrafter = OfflineMetadataDrafter()) {
        self.profile = profile
        self.fallback = fallback
    }

    public func validate(_ draft: MetadataDraft) -> (MetadataDraft, DraftValidation) {
        var validation = DraftValidation()
        let facts = DatasetFacts(profile: self.profile)
        var documented: [String: MetadataDraft.Table] = [:]
        for entry in draft.dataDictionary {
            guard let table = self.match(entry.table) else {
                validation.droppedTables.append(entry.table)
                continue
            }
            guard documented[table.qualifiedName] == nil else {
                validation.notes.append("Table \(table.qualifiedName) was documented twice; the first entry was kept.")
                continue
            }
            if entry.table != table.qualifiedName {
                validation.notes.append("Table name '\(entry.table)' was corrected to \(table.qualifiedName).")
            }
            documented[table.qualifiedName] = self.validate(entry, against: table, validation: &validation)
        }
        let dictionary = self.profile.tables.map { table -> MetadataDraft.Table in
            if let entry = documented[table.qualifiedName] { return entry }
            validation.completedTables.append(table.qualifiedName)
            return self.fallback.table(table, facts: facts)
        }
        var result = draft
        result.dataDictionary = dictionary
        result.summary = Self.limited(draft.summary.trimmingCharacters(in: .whitespacesAndNewlines), OfflineMetadataDrafter.summaryLimit)
        if draft.summary.count > OfflineMetadataDrafter.summaryLimit {
            validation.notes.append("The summary was shortened to \(OfflineMetadataDrafter.summaryLimit) characters.")
        }
        result.suggestedTags = Self.tidyTags(draft.suggestedTags)
        return (result, validation)
    }

    private func validate(_ entry: MetadataDraft.Table, against table: TableProfile, validation: inout DraftValidation) -> MetadataDraft.Table {
        var columns: [String: MetadataDraft.Column] = [:]
        for column in entry.columns {
            guard let profiled = Self.match(column.name, in: table.columns.map(\.name)) else {
                validation.droppedColumns.append("\(table.qualifiedName).\(column.name)")
                continue
            }
            guard columns[profiled] == nil else { continue }
            var checked = column
            checked.name = profiled
            if !MetadataDraftSchema.semanticTypes.contains(column.semanticType) {
                validation.notes.append(
                    "Column \(table.qualifiedName).\(profiled) had an unknown semantic type '\(column.semanticType)'; set to 'other'."
                )
                checked.semanticType = "other"
            }
            if table.column(named: profiled)?.pii != nil, !column.pii {
                validation.notes.append("Column \(table.qualifiedName).\(profiled) holds personal data; marked pii.")
                checked.pii = true
            }
            columns[profiled] = checked
        }
        let ordered = table.columns.map { column -> MetadataDraft.Column in
            if let documented = columns[column.name] { return documented }
            validation.completedColumns.append("\(table.qualifiedName).\(column.name)")
            return self.fallback.column(column, in: table)
        }
        return MetadataDraft.Table(table: table.qualifiedName, description: entry.description, columns: ordered)
    }

    /// The profiled table a drafted name means: exact (qualified or bare) first, then ignoring case.
    private func match(_ name: String) -> TableProfile? {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if let exact = self.profile.tables.first(where: { $0.qualifiedName == trimmed }) { return exact }
        let bare = self.profile.tables.filter { $0.name == trimmed }
        if bare.count == 1 { return bare[0] }
        let lower = trimmed.lowercased()
        let folded = self.profile.tables.filter { $0.qualifiedName.lowercased() == lower || $0.name.lowercased() == lower }
        return folded.count == 1 ? folded[0] : nil
    }

    private static func match(_ name: String, in columns: [String]) -> String? {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if columns.contains(trimmed) { return trimmed }
        let folded = columns.filter { $0.lowercased() == trimmed.lowercased() }
        return folded.count == 1 ? folded[0] : nil
    }

    static func limited(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// Lowercase, trimmed, 1–40 characters, unique, at most 10.
    static func tidyTags(_ tags: [String]) -> [String] {
        var seen = Set<String>()
        return Array(
            tags.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
                .filter { (1...40).contains($0.count) && seen.insert($0).inserted }
                .prefix(10)
        )
    }
}
