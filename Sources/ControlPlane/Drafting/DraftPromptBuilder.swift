import AnalyticsCore
import LLMClient

/// Turns a profile and its quality findings into the metadata-draft prompt.
///
/// The profile is rendered as compact JSON (tables, keys, columns with their statistics and
/// suspected roles) and held to a character budget: when a schema is large, top values and
/// quantiles go first, then per-column statistics, so the prompt stays within a model's context.
/// Personal data never enters: columns flagged as PII keep their name, type and flag only, and
/// their sample values are masked by ``MetadataDraftPrompt``.
public struct DraftPromptBuilder: Sendable {
    /// Characters the rendered profile may take (about 15k tokens).
    public var profileBudget: Int
    /// Findings listed in the prompt, most severe first.
    public var maxFindings: Int

    public init(profileBudget: Int = 60_000, maxFindings: Int = 60) {
        self.profileBudget = profileBudget
        self.maxFindings = maxFindings
    }

    public func prompt(dataset: Dataset, profile: DatasetProfile, findings: [QualityFinding]) -> MetadataDraftPrompt {
        MetadataDraftPrompt(
            datasetName: dataset.name,
            profile: self.profileText(profile),
            qualityFindings: self.findingsText(findings),
            samples: profile.tables.map { table in
                MetadataDraftPrompt.SampleRows(
                    table: table.qualifiedName,
                    rows: table.sampleRows,
                    piiColumns: Set(table.columns.filter { $0.pii != nil }.map(\.name))
                )
            }
        )
    }

    /// The profile as JSON text, at the richest detail that fits the budget.
    func profileText(_ profile: DatasetProfile) -> String {
        var text = ""
        for detail in [Detail.full, .statistics, .names] {
            text = self.render(profile, detail: detail).serialized()
            if text.count <= self.profileBudget { return text }
        }
        return String(text.prefix(self.profileBudget))
    }

    func findingsText(_ findings: [QualityFinding]) -> String {
        let sorted = findings.enumerated().sorted { lhs, rhs in
            lhs.element.severity != rhs.element.severity ? lhs.element.severity > rhs.element.severity : lhs.offset < rhs.offset
        }
        var lines = sorted.prefix(self.maxFindings).map { entry -> String in
            let finding = entry.element
            let location = [finding.table, finding.column].compactMap { $0 }.joined(separator: ".")
            return "- [\(finding.severity.rawValue)] \(finding.ruleID)\(location.isEmpty ? "" : " (\(location))"): \(finding.message)"
        }
        if findings.count > self.maxFindings { lines.append("- … and \(findings.count - self.maxFindings) more findings.") }
        return lines.joined(separator: "\n")
    }

    enum Detail {
        case full
        case statistics
        case names
    }

    private func render(_ profile: DatasetProfile, detail: Detail) -> JSONValue {
        var object: [String: JSONValue] = [
            "tables": .array(profile.tables.map { self.render($0, detail: detail) })
        ]
        if let weighting = profile.suggestedWeighting { object["suggested_weighting"] = weighting }
        return .object(object)
    }

    private func render(_ table: TableProfile, detail: Detail) -> JSONValue {
        var object: [String: JSONValue] = [
            "table": .string(table.qualifiedName),
            "kind": .string(table.kind.rawValue),
            "row_count": .int(table.rowCount),
            "columns": .array(table.columns.map { self.render($0, detail: detail) }),
        ]
        if !table.rowCountExact { object["row_count_estimated"] = true }
        if let comment = table.comment, !comment.isEmpty { object["comment"] = .string(comment) }
        if !table.primaryKey.isEmpty { object["primary_key"] = .array(table.primaryKey.map(JSONValue.string)) }
        if !table.foreignKeys.isEmpty {
            object["foreign_keys"] = .array(
                table.foreignKeys.map {
                    .string("(\($0.columns.joined(separator: ", "))) → \($0.referencedTable)(\($0.referencedColumns.joined(separator: ", ")))")
                }
            )
        }
        return .object(object)
    }

    private func render(_ column: ColumnProfile, detail: Detail) -> JSONValue {
        var object: [String: JSONValue] = ["name": .string(column.name), "type": .string(column.type)]
        if let comment = column.comment, !comment.isEmpty { object["comment"] = .string(comment) }
        if !column.roles.isEmpty { object["roles"] = .array(column.roles.map(JSONValue.string)) }
        if let pii = column.pii {
            object["pii"] = .string(pii)
            return .object(object)
        }
        guard detail != .names else { return .object(object) }
        if let nulls = column.nullFraction { object["null_fraction"] = .double(Self.rounded(nulls)) }
        if let distinct = column.distinctEstimate { object["distinct"] = .double(distinct.rounded()) }
        if let min = column.min { object["min"] = min }
        if let max = column.max { object["max"] = max }
        if let mean = column.mean { object["mean"] = .double(Self.rounded(mean)) }
        if let coverage = column.dateCoverage {
            object["dates"] = .string("\(coverage.first) … \(coverage.last)" + (coverage.format.map { " (\($0))" } ?? ""))
        }
        guard detail == .full else { return .object(object) }
        if !column.topValues.isEmpty {
            object["top_values"] = .array(
                column.topValues.prefix(5).map { ["value": $0.value, "share": .double(Self.rounded($0.share))] }
            )
        }
        if let quantiles = column.quantiles, !quantiles.isEmpty {
            object["quantiles"] = .object(quantiles.mapValues { .double(Self.rounded($0)) })
        }
        return .object(object)
    }

    static func rounded(_ value: Double) -> Double {
        guard value.isFinite else { return 0 }
        return (value * 10_000).rounded() / 10_000
    }
}
