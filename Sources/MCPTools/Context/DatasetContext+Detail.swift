import AnalyticsCore
import Foundation

extension DatasetContext {
    /// Levels 2 and 3: the requested tables (or as many as fit) in detail, within ``ToolLimits/detailBudget``.
    func detail(level: ContextLevel, requested: [String]?) throws -> JSONValue {
        var object = self.header(level: level)
        object["weighting"] = self.dataset.weighting.map { Self.size($0) <= 6_000 ? $0 : self.weightingGlance } ?? .null
        if let metadata = self.dataset.metadata {
            object["metadata"] =
                Self.size(metadata) <= 4_000 ? metadata : .string("large reviewed metadata; read analytics://datasets/\(self.dataset.id)")
        }
        if level == .samples {
            object["quality_notes"] = .array(self.qualityNotes.map(JSONValue.string))
        }
        guard let profile else {
            object["tables"] = []
            object["hint"] = "Not profiled yet: no column statistics or samples. Query information_schema.columns with execute_sql."
            return .object(object)
        }
        let tables = try self.select(requested, from: profile)
        var included: [JSONValue] = []
        var omitted: [String] = []
        for table in tables {
            object["tables"] = .array(included)
            let used = Self.size(.object(object))
            let full = self.tableJSON(table, level: level, compact: false)
            if used + Self.size(full) <= self.limits.detailBudget {
                included.append(full)
                continue
            }
            let compact = self.tableJSON(table, level: level, compact: true)
            if included.isEmpty || used + Self.size(compact) <= self.limits.detailBudget {
                included.append(compact)
            } else {
                omitted.append(table.qualifiedName)
            }
        }
        object["tables"] = .array(included)
        if !omitted.isEmpty {
            object["omitted_tables"] = .array(omitted.map(JSONValue.string))
            object["hint"] = .string("Budget reached: \(omitted.count) tables left out. Ask again with tables=[…] naming fewer tables.")
        }
        return .object(object)
    }

    /// The requested tables in the order asked, or every table; an unknown name is `INVALID_REQUEST`.
    func select(_ requested: [String]?, from profile: DatasetProfile) throws -> [TableProfile] {
        guard let requested, !requested.isEmpty else { return profile.tables }
        var tables: [TableProfile] = []
        for name in requested {
            guard let table = profile.table(named: name) else {
                let known = profile.tables.map(\.qualifiedName)
                throw AnalyticsError.invalidRequest(
                    "Dataset '\(self.dataset.id)' has no table '\(name)'.",
                    hint: "Tables: " + known.prefix(40).joined(separator: ", ") + (known.count > 40 ? ", …" : "") + "."
                )
            }
            if !tables.contains(where: { $0.qualifiedName == table.qualifiedName }) { tables.append(table) }
        }
        return tables
    }

    /// One table; `compact` keeps only names, types and roles of columns when the budget is tight.
    func tableJSON(_ table: TableProfile, level: ContextLevel, compact: Bool) -> JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(table.qualifiedName),
            "kind": .string(table.kind.rawValue),
            "rows": .int(table.rowCount),
            "rows_exact": .bool(table.rowCountExact),
        ]
        if let comment = table.comment, !comment.isEmpty { object["comment"] = .string(Self.cut(comment, 300)) }
        if !table.primaryKey.isEmpty { object["primary_key"] = .array(table.primaryKey.map(JSONValue.string)) }
        if !table.foreignKeys.isEmpty {
            object["foreign_keys"] = .array(
                table.foreignKeys.map { key in
                    .string("(\(key.columns.joined(separator: ","))) → \(key.referencedTable)(\(key.referencedColumns.joined(separator: ",")))")
                }
            )
        }
        object["columns"] = .array(table.columns.map { compact ? self.compactColumnJSON($0) : self.columnJSON($0) })
        if compact { object["note"] = "columns without statistics (budget); ask for this table alone for more" }
        if level == .samples, !compact {
            object["sample_rows"] = .array(PIIMask.sampleRows(table, limit: Self.sampleRowLimit).map(JSONValue.object))
        }
        return .object(object)
    }

    func compactColumnJSON(_ column: ColumnProfile) -> JSONValue {
        var object: [String: JSONValue] = ["name": .string(column.name), "type": .string(column.type)]
        if !column.roles.isEmpty { object["roles"] = .array(column.roles.map(JSONValue.string)) }
        if column.pii != nil { object["pii"] = .string(column.pii ?? "") }
        return .object(object)
    }

    func columnJSON(_ column: ColumnProfile) -> JSONValue {
        guard case .object(var object) = self.compactColumnJSON(column) else { return .null }
        if !column.nullable { object["nullable"] = false }
        if let comment = column.comment, !comment.isEmpty { object["comment"] = .string(Self.cut(comment, 200)) }
        if let fraction = column.nullFraction, fraction > 0 { object["null_fraction"] = .double(Self.round(fraction)) }
        if let distinct = column.distinctEstimate { object["distinct"] = .double(Self.round(distinct)) }
        if let coverage = column.dateCoverage {
            object["date_coverage"] = .string("\(coverage.first)..\(coverage.last)" + (coverage.format.map { " (\($0))" } ?? ""))
        }
        guard !PIIMask.isPersonal(column) else {
            object["values"] = "masked (personal data)"
            return .object(object)
        }
        if let min = column.min { object["min"] = Self.shorten(min) }
        if let max = column.max { object["max"] = Self.shorten(max) }
        if !column.topValues.isEmpty {
            object["top_values"] = .array(
                column.topValues.prefix(5).map { .array([Self.shorten($0.value), .double(Self.round($0.share))]) }
            )
        }
        if let quantiles = column.quantiles, !quantiles.isEmpty {
            object["quantiles"] = .object(quantiles.mapValues { .double(Self.round($0)) })
        }
        return .object(object)
    }

    /// Dataset warnings and reviewed quality notes (`metadata.quality_notes`) for level 3.
    var qualityNotes: [String] {
        var notes = self.dataset.warnings
        if let reviewed = self.dataset.metadata?["quality_notes"] {
            switch reviewed {
            case .string(let s): notes.append(s)
            case .array(let items): notes += items.compactMap { $0.stringValue ?? ($0.isNull ? nil : $0.serialized()) }
            default: notes.append(reviewed.serialized())
            }
        }
        return notes.map { Self.cut($0, 400) }
    }

    /// Four significant digits: enough to reason with, short to read.
    static func round(_ value: Double) -> Double {
        guard value.isFinite, value != 0 else { return value.isFinite ? value : 0 }
        let magnitude = Foundation.pow(10, 3 - Foundation.floor(Foundation.log10(Swift.abs(value))))
        return (value * magnitude).rounded() / magnitude
    }

    /// Long text values are cut so one odd value cannot eat the budget.
    static func shorten(_ value: JSONValue) -> JSONValue {
        if case .string(let s) = value, s.count > 80 { return .string(String(s.prefix(79)) + "…") }
        return value
    }
}
