import AnalyticsCore

/// The compact text rendering of a `describe_dataset` answer: one line per table or column, the same
/// facts as the structured document in roughly half the characters.
enum ContextText {
    static func render(_ context: JSONValue) -> String {
        var lines: [String] = []
        let id = context["dataset_id"]?.stringValue ?? "?"
        let name = context["name"]?.stringValue ?? id
        let level = context["level"]?.intValue ?? 1
        lines.append("# \(name) (\(id)) — level \(level)")
        if let description = context["description"]?.stringValue, !description.isEmpty { lines.append(description) }
        var facts: [String] = [context["weighted"]?.boolValue == true ? "weighted" : "unweighted"]
        if let first = context["coverage"]?["first"]?.stringValue, let last = context["coverage"]?["last"]?.stringValue {
            facts.append("coverage \(first)..\(last)")
        }
        if let tags = context["tags"]?.arrayValue, !tags.isEmpty { facts.append("tags: " + tags.compactMap(\.stringValue).joined(separator: ", ")) }
        lines.append(facts.joined(separator: "; "))
        if let weighting = context["weighting"], !weighting.isNull { lines.append("weighting: " + weighting.serialized()) }
        if let metadata = context["metadata"], !metadata.isNull { lines.append("metadata: " + metadata.serialized()) }
        for table in context["tables"]?.arrayValue ?? [] {
            lines.append(contentsOf: self.table(table))
        }
        if let names = context["table_names"]?.arrayValue {
            lines.append("tables: " + names.compactMap(\.stringValue).joined(separator: ", "))
        }
        if let notes = context["quality_notes"]?.arrayValue, !notes.isEmpty {
            lines.append("quality notes:")
            lines += notes.compactMap(\.stringValue).map { "- \($0)" }
        }
        if let omitted = context["omitted_tables"]?.arrayValue {
            lines.append("omitted: " + omitted.compactMap(\.stringValue).joined(separator: ", "))
        }
        if let hint = context["hint"]?.stringValue { lines.append("hint: \(hint)") }
        return lines.joined(separator: "\n")
    }

    static func table(_ table: JSONValue) -> [String] {
        let name = table["name"]?.stringValue ?? "?"
        let rows = table["rows"]?.intValue.map(String.init) ?? "?"
        guard table["kind"] != nil, let columns = table["columns"]?.arrayValue else {
            return ["- \(name): \(rows) rows, \(table["columns"]?.intValue ?? 0) columns"]
        }
        var lines = ["## \(name) (\(rows) rows)" + (table["comment"]?.stringValue.map { " — \($0)" } ?? "")]
        if let keys = table["primary_key"]?.arrayValue { lines.append("primary key: " + keys.compactMap(\.stringValue).joined(separator: ", ")) }
        if let keys = table["foreign_keys"]?.arrayValue { lines += keys.compactMap(\.stringValue).map { "fk \($0)" } }
        for column in columns {
            guard case .object(var fields) = column else { continue }
            let columnName = fields.removeValue(forKey: "name")?.stringValue ?? "?"
            let type = fields.removeValue(forKey: "type")?.stringValue ?? "?"
            let rest = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.serialized())" }
            lines.append("- \(columnName) \(type)" + (rest.isEmpty ? "" : " " + rest.joined(separator: " ")))
        }
        if let samples = table["sample_rows"]?.arrayValue, !samples.isEmpty {
            lines.append("samples:")
            lines += samples.map { $0.serialized() }
        }
        return lines
    }
}
