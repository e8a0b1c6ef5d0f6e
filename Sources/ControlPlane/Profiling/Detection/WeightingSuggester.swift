import AnalyticsCore
import Foundation

/// Drafts a weighting config (the DESIGN §5.2 document, same shape as the demo panel's) from the
/// roles the ``RoleClassifier`` found, for a reviewer to accept or edit.
struct WeightingSuggester: Sendable {
    /// Most distinct values an event table's text column may have to be offered as a filter.
    var maximumFilterValues = 50.0

    func suggest(_ classification: RoleClassifier.Classification, profiles: [TableProfile]) -> JSONValue? {
        guard let tableIndex = classification.respondentTable, let key = classification.respondentKey,
            let weight = classification.weight, weight.table == tableIndex
        else { return nil }
        let table = profiles[tableIndex]
        return .object([
            "version": 1,
            "respondent_table": .string(table.qualifiedName),
            "respondent_key": .string(key),
            "weight_column": .string(weight.profile.name),
            "dimensions": .array(classification.dimensions.map { self.dimension($0.profile) }),
            "min_base": 30,
            "caution_base": 100,
            "unweighted_policy": "warn",
            "event_tables": .array(classification.eventTables.compactMap { self.eventTable(profiles[$0.table], key: $0.key) }),
            "personas": [],
        ])
    }

    private func dimension(_ column: ColumnProfile) -> JSONValue {
        let values = column.topValues.compactMap { Self.label($0.value) }.sorted(by: Self.naturalOrder)
        let aliases = column.name.contains("_") ? [JSONValue.string(column.name.replacingOccurrences(of: "_", with: " "))] : []
        return .object([
            "column": .string(column.name),
            "label": .string(Self.humanized(column.name)),
            "aliases": .array(aliases),
            "values": .array(
                values.map { value in
                    let lower = value.lowercased()
                    return .object([
                        "value": .string(value),
                        "label": .string(value),
                        "aliases": .array(lower == value ? [] : [.string(lower)]),
                    ])
                }
            ),
            "merge": .object([:]),
            "order": .array(values.map(JSONValue.string)),
        ])
    }

    private func eventTable(_ table: TableProfile, key: String) -> JSONValue? {
        guard let time = table.columns.first(where: { $0.roles.contains(ColumnRole.eventTime.rawValue) }) else { return nil }
        let measures = table.columns.filter { $0.roles.contains(ColumnRole.measure.rawValue) }
        let filters = table.columns.filter { column in
            column.pii == nil && column.name != key && column.roles.isEmpty && column.quantiles == nil
                && (column.distinctEstimate ?? .infinity) <= self.maximumFilterValues && column.dateCoverage == nil
        }
        let isDate = time.type.lowercased() == "date" || time.dateCoverage?.format == DateFormat.isoDate.rawValue
        return .object([
            "table": .string(table.qualifiedName),
            "label": .string(Self.humanized(table.name)),
            "respondent_key": .string(key),
            "time_column": .string(time.name),
            "time_type": .string(isDate ? "date" : "timestamp"),
            "measures": .array(
                measures.map { measure in
                    .object([
                        "column": .string(measure.name),
                        "label": .string(Self.humanized(measure.name)),
                        "unit": .string(Self.unit(measure.name)),
                        "aggregations": ["sum", "avg", "count"],
                    ])
                }
            ),
            "filter_columns": .array(filters.map { .string($0.name) }),
        ])
    }

    static func label(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .int(let int): String(int)
        case .bool(let bool): bool ? "true" : "false"
        case .number(let literal): literal
        case .double(let double): String(double)
        default: nil
        }
    }

    /// Numbers first by value ("15-24" < "25-34" < "55+"), then text alphabetically.
    static func naturalOrder(_ lhs: String, _ rhs: String) -> Bool {
        switch (self.leadingNumber(lhs), self.leadingNumber(rhs)) {
        case (let a?, let b?) where a != b: return a < b
        case (.some, nil): return true
        case (nil, .some): return false
        default: return lhs.localizedStandardCompare(rhs) == .orderedAscending
        }
    }

    private static func leadingNumber(_ text: String) -> Double? {
        Double(String(text.prefix { $0.isNumber || $0 == "." }))
    }

    /// `age_band` → `Age band`; a name without vowels is an acronym (`nccs` → `NCCS`).
    static func humanized(_ name: String) -> String {
        let words = NameTokens.split(name)
        guard let first = words.first else { return name }
        if words.count == 1 && !first.contains(where: { "aeiou".contains($0) }) { return first.uppercased() }
        return ([first.prefix(1).uppercased() + first.dropFirst()] + words.dropFirst()).joined(separator: " ")
    }

    static func unit(_ name: String) -> String {
        let tokens = Set(NameTokens.split(name))
        if tokens.contains(where: { $0.hasPrefix("minute") || $0 == "mins" }) { return "minutes" }
        if tokens.contains(where: { $0.hasPrefix("second") || $0 == "secs" }) { return "seconds" }
        if tokens.contains(where: { $0.hasPrefix("hour") }) { return "hours" }
        if !tokens.isDisjoint(with: ["amount", "spend", "price", "revenue", "cost", "value", "sales"]) { return "currency" }
        if !tokens.isDisjoint(with: ["count", "qty", "quantity", "units", "items"]) { return "count" }
        return "value"
    }
}
