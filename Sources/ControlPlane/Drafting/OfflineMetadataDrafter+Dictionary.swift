import AnalyticsCore
import LLMClient

extension OfflineMetadataDrafter {
    /// One table of the data dictionary, every column documented.
    func table(_ table: TableProfile, facts: DatasetFacts) -> MetadataDraft.Table {
        MetadataDraft.Table(
            table: table.qualifiedName,
            description: self.tableDescription(table, facts: facts),
            columns: table.columns.map { self.column($0, in: table) }
        )
    }

    func tableDescription(_ table: TableProfile, facts: DatasetFacts) -> String {
        let rows = "\(Self.number(table.rowCount)) rows\(table.rowCountExact ? "" : " (estimated)")"
        var sentences: [String] = []
        if let comment = table.comment?.trimmingCharacters(in: .whitespacesAndNewlines), !comment.isEmpty {
            sentences.append(Self.sentence(comment))
        } else if table.qualifiedName == facts.respondentTable {
            sentences.append("One row per respondent, keyed by \(facts.respondentKey ?? table.primaryKey.joined(separator: ", ")).")
        } else if let time = table.columns.first(where: { $0.roles.contains("event_time") }) {
            sentences.append("One row per \(Self.singular(WeightingSuggesterText.humanized(table.name)).lowercased()) event, timed by \(time.name).")
        } else if table.kind != .table {
            sentences.append(
                "A \(table.kind == .view ? "view" : "materialized view") named \(WeightingSuggesterText.humanized(table.name).lowercased())."
            )
        } else {
            sentences.append("Rows of \(WeightingSuggesterText.humanized(table.name).lowercased()).")
        }
        sentences.append("It has \(rows) and \(Self.count(table.columns.count, "column")).")
        if !table.primaryKey.isEmpty { sentences.append("Primary key: \(table.primaryKey.joined(separator: ", ")).") }
        for key in table.foreignKeys {
            sentences.append(
                "\(key.columns.joined(separator: ", ")) references \(key.referencedTable)(\(key.referencedColumns.joined(separator: ", ")))."
            )
        }
        if table.samplePercent < 100 {
            sentences.append("Statistics were computed on a \(Self.decimal(table.samplePercent))% sample.")
        }
        return sentences.joined(separator: " ")
    }

    /// One column: a description from its comment or its name and statistics, its semantic type, its PII flag.
    func column(_ column: ColumnProfile, in table: TableProfile) -> MetadataDraft.Column {
        MetadataDraft.Column(
            name: column.name,
            description: self.columnDescription(column, in: table),
            semanticType: self.semanticType(column, in: table),
            pii: column.pii != nil
        )
    }

    func columnDescription(_ column: ColumnProfile, in table: TableProfile) -> String {
        let label = WeightingSuggesterText.humanized(column.name)
        var sentences: [String] = []
        if let comment = column.comment?.trimmingCharacters(in: .whitespacesAndNewlines), !comment.isEmpty {
            sentences.append(Self.sentence(comment))
        }
        if let pii = column.pii {
            sentences.append("Personal data (\(pii.replacingOccurrences(of: "_", with: " "))); its values are masked everywhere.")
            return sentences.joined(separator: " ")
        }
        if sentences.isEmpty { sentences.append(self.generatedDescription(column, label: label, in: table)) }
        if let key = table.foreignKeys.first(where: { $0.columns == [column.name] }) {
            sentences.append("References \(key.referencedTable)(\(key.referencedColumns.joined(separator: ", "))).")
        }
        if let nulls = column.nullFraction, nulls >= 0.05 {
            sentences.append("Missing for \(Self.percent(nulls)) of rows.")
        }
        return sentences.joined(separator: " ")
    }

    private func generatedDescription(_ column: ColumnProfile, label: String, in table: TableProfile) -> String {
        let roles = Set(column.roles)
        if roles.contains("weight") {
            var text = "Survey weight: how many people each respondent stands for."
            if let mean = column.mean { text += " Mean \(Self.decimal(mean))" + self.range(column) + "." }
            return text
        }
        if roles.contains("respondent_key") || table.primaryKey == [column.name] {
            return table.primaryKey.contains(column.name) ? "\(label); identifies the row." : "\(label); identifies the respondent."
        }
        if let coverage = column.dateCoverage {
            let format = coverage.format.map { " stored as text in \($0) format" } ?? ""
            return "\(label)\(format); covers \(coverage.first) to \(coverage.last)."
        }
        let kind = TypeFamily(column.type)
        if kind == .boolean, let share = column.topValues.first(where: { $0.value == .bool(true) })?.share {
            return "\(label) flag; true for \(Self.percent(share)) of rows."
        }
        if kind == .numeric, column.quantiles != nil || column.mean != nil {
            var text = "\(label) (numeric"
            if let median = column.quantiles?["p50"] { text += "; median \(Self.decimal(median))" }
            return text + self.range(column) + ")."
        }
        if !column.topValues.isEmpty, (column.distinctEstimate ?? .infinity) <= 100 {
            let values = column.topValues.prefix(5).compactMap { value -> String? in
                guard let text = Self.text(value.value) else { return nil }
                return "\(text) (\(Self.percent(value.share)))"
            }
            let kindWord = roles.contains("dimension") ? "Respondent attribute" : "Category"
            return "\(kindWord): \(label.lowercased()). Most common values: \(values.joined(separator: ", "))."
        }
        return kind == .text ? "\(label) (free text)." : "\(label) (\(column.type))."
    }

    private func range(_ column: ColumnProfile) -> String {
        guard let min = column.min.flatMap(Self.text), let max = column.max.flatMap(Self.text) else { return "" }
        return ", range \(min) to \(max)"
    }

    /// One of ``MetadataDraftSchema/semanticTypes``, from the PII flag, roles, keys, name and type.
    func semanticType(_ column: ColumnProfile, in table: TableProfile) -> String {
        switch column.pii {
        case "email": return "email"
        case "phone": return "phone"
        case "person_name": return "person_name"
        case "address": return "address"
        case "birth_date": return "date"
        case "identifier": return "identifier"
        case .some: return "free_text"
        case .none: break
        }
        let roles = Set(column.roles)
        if roles.contains("weight") { return "weight" }
        if roles.contains("dimension") { return "persona_dimension" }
        if table.foreignKeys.contains(where: { $0.columns.contains(column.name) }) { return "foreign_key" }
        if roles.contains("respondent_key") { return table.primaryKey.contains(column.name) ? "identifier" : "foreign_key" }
        if table.primaryKey.contains(column.name) { return "identifier" }
        let tokens = Set(NameTokens.split(column.name))
        let family = TypeFamily(column.type)
        if family == .temporal || roles.contains("event_time") || column.dateCoverage != nil {
            return column.type.lowercased().contains("time") ? "timestamp" : "date"
        }
        if family == .boolean { return "boolean_flag" }
        if !tokens.isDisjoint(with: ["city", "state", "region", "country", "zone", "district", "pincode", "postcode", "zip"]) {
            return "geography"
        }
        if family == .numeric {
            if !tokens.isDisjoint(with: ["pct", "percent", "percentage", "share", "rate", "ratio"]) { return "percentage" }
            if !tokens.isDisjoint(with: ["amount", "spend", "price", "revenue", "cost", "sales", "value"]) { return "currency" }
            if !tokens.isDisjoint(with: ["count", "qty", "quantity", "units", "items", "visits", "sessions"]) { return "count" }
            if tokens.contains("id") || tokens.contains("code") { return "identifier" }
            return "numeric_measure"
        }
        if family == .text {
            if tokens.contains("id") || tokens.contains("code") { return "identifier" }
            return (column.distinctEstimate ?? .infinity) <= 100 ? "categorical" : "free_text"
        }
        return "other"
    }

    /// A value as short text for prose; nil for nulls, arrays and objects.
    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): s.count > 40 ? String(s.prefix(39)) + "…" : s
        case .int(let i): String(i)
        case .double(let d): Self.decimal(d)
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }

    /// At most three decimals, no trailing zeros.
    static func decimal(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        let rounded = (value * 1000).rounded() / 1000
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return String(rounded)
    }

    /// Capitalised, ending with a full stop.
    static func sentence(_ text: String) -> String {
        guard let first = text.first else { return text }
        let capitalised = first.uppercased() + text.dropFirst()
        return [".", "!", "?"].contains(capitalised.last) ? capitalised : capitalised + "."
    }

    /// `purchases` → `purchase`, `viewing events` → `viewing event`.
    static func singular(_ text: String) -> String {
        if text.hasSuffix("ies") { return String(text.dropLast(3)) + "y" }
        if text.hasSuffix("ss") { return text }
        if text.hasSuffix("s") { return String(text.dropLast()) }
        return text
    }
}

/// Coarse type families from a database type name, enough for prose and semantic types.
enum TypeFamily: Sendable, Hashable {
    case numeric
    case text
    case temporal
    case boolean
    case other

    init(_ type: String) {
        let name = type.lowercased()
        if name.contains("bool") {
            self = .boolean
        } else if name.contains("date") || name.contains("time") {
            self = .temporal
        } else if ["int", "numeric", "decimal", "real", "double", "float", "money"].contains(where: name.contains) {
            self = .numeric
        } else if ["char", "text", "clob", "string"].contains(where: name.contains) {
            self = .text
        } else {
            self = .other
        }
    }
}

/// Names turned into labels the same way the weighting suggester labels dimensions.
enum WeightingSuggesterText {
    static func humanized(_ name: String) -> String {
        WeightingSuggester.humanized(name)
    }
}
