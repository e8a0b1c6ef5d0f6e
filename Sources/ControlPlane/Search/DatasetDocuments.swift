import AnalyticsCore

/// Turns a dataset and its latest profile into search documents.
///
/// Values of columns the profiler flagged as personal (`pii`) never enter a document.
public enum DatasetDocuments {
    /// Common values of a column that are indexed (so "Mumbai" finds the `city` column).
    static let indexedValuesPerColumn = 5

    public static func url(datasetID: String, table: String? = nil) -> String {
        "analytics://datasets/\(datasetID)" + (table.map { "#\($0)" } ?? "")
    }

    public static func documents(for dataset: Dataset, profile: DatasetProfile?) -> [SearchDocument] {
        var documents = [self.datasetDocument(dataset, profile: profile)]
        for table in profile?.tables ?? [] {
            documents.append(self.tableDocument(table, dataset: dataset))
        }
        return documents
    }

    static func datasetDocument(_ dataset: Dataset, profile: DatasetProfile?) -> SearchDocument {
        let tables = profile?.tables ?? []
        var fields: [SearchDocument.Field] = [
            .init(dataset.name, weight: 3),
            .init(dataset.id, weight: 3),
            .init(dataset.tags.joined(separator: " "), weight: 2),
            .init(dataset.description),
            .init(tables.map(\.name).joined(separator: " "), weight: 2),
            .init(tables.flatMap { $0.columns.map(\.name) }.joined(separator: " ")),
        ]
        if let metadata = dataset.metadata {
            fields.append(.init(self.strings(in: metadata, limit: 400).joined(separator: " ")))
        }
        var lines = ["# \(dataset.name) (\(dataset.id))"]
        if !dataset.description.isEmpty { lines.append(dataset.description) }
        if !dataset.tags.isEmpty { lines.append("Tags: " + dataset.tags.joined(separator: ", ")) }
        lines.append("Weighted: " + (dataset.weighting == nil ? "no" : "yes"))
        if tables.isEmpty {
            lines.append("Tables: not profiled yet.")
        } else {
            lines.append("Tables:")
            for table in tables {
                lines.append("- \(table.qualifiedName) (\(table.rowCount) rows): " + table.columns.map(\.name).joined(separator: ", "))
            }
        }
        return SearchDocument(
            id: dataset.id,
            datasetID: dataset.id,
            kind: .dataset,
            title: dataset.name,
            fields: fields,
            text: lines.joined(separator: "\n"),
            url: self.url(datasetID: dataset.id),
            metadata: ["dataset_id": .string(dataset.id), "kind": "dataset", "tags": .array(dataset.tags.map(JSONValue.string))]
        )
    }

    static func tableDocument(_ table: TableProfile, dataset: Dataset) -> SearchDocument {
        var fields: [SearchDocument.Field] = [
            .init(table.name, weight: 3),
            .init(dataset.name),
            .init(table.comment ?? "", weight: 2),
            .init(table.columns.map(\.name).joined(separator: " "), weight: 2),
            .init(table.columns.compactMap(\.comment).joined(separator: " ")),
        ]
        let values = table.columns.filter { $0.pii == nil }.flatMap { column in
            column.topValues.prefix(self.indexedValuesPerColumn).compactMap(\.value.stringValue)
        }
        fields.append(.init(values.joined(separator: " ")))
        var lines = ["# \(table.qualifiedName) in \(dataset.name) (\(dataset.id))"]
        if let comment = table.comment, !comment.isEmpty { lines.append(comment) }
        lines.append("Rows: \(table.rowCount)" + (table.rowCountExact ? "" : " (estimate)"))
        lines.append("Columns:")
        for column in table.columns {
            var line = "- \(column.name) \(column.type)"
            if let comment = column.comment, !comment.isEmpty { line += ": \(comment)" }
            if !column.roles.isEmpty { line += " [\(column.roles.joined(separator: ", "))]" }
            if column.pii != nil { line += " (personal data, values masked)" }
            lines.append(line)
        }
        return SearchDocument(
            id: "\(dataset.id)/\(table.qualifiedName)",
            datasetID: dataset.id,
            kind: .table,
            title: "\(table.qualifiedName) — \(dataset.name)",
            fields: fields,
            text: lines.joined(separator: "\n"),
            url: self.url(datasetID: dataset.id, table: table.qualifiedName),
            metadata: ["dataset_id": .string(dataset.id), "kind": "table", "table": .string(table.qualifiedName)]
        )
    }

    /// Every string in a JSON document (keys excluded), depth first, at most `limit` of them.
    static func strings(in value: JSONValue, limit: Int) -> [String] {
        var out: [String] = []
        func walk(_ value: JSONValue) {
            guard out.count < limit else { return }
            switch value {
            case .string(let s): out.append(s)
            case .array(let items): items.forEach(walk)
            case .object(let object): for (_, value) in object.sorted(by: { $0.key < $1.key }) { walk(value) }
            default: break
            }
        }
        walk(value)
        return out
    }
}
