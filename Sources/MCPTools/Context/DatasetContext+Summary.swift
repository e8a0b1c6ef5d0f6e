import AnalyticsCore

extension DatasetContext {
    /// Weighting at a glance: the whole document when small, else its scalar settings and the names
    /// of its parts, with the full document one level down.
    var weightingGlance: JSONValue {
        guard let weighting = self.dataset.weighting else { return .null }
        if Self.size(weighting) <= 800 { return weighting }
        guard let object = weighting.objectValue else { return ["note": "large weighting config; see level 2"] }
        var glance: [String: JSONValue] = [:]
        for (key, value) in object {
            switch value {
            case .array(let items): glance[key] = .string("\(items.count) entries (level 2)")
            case .object(let inner): glance[key] = .array(inner.keys.sorted().map(JSONValue.string))
            default: glance[key] = value
            }
        }
        return .object(glance)
    }

    /// Level 1: who the dataset is and what tables it has, sized to ``ToolLimits/level1Budget``.
    func summary() -> JSONValue {
        var object = self.header(level: .summary)
        object["weighting"] = self.weightingGlance
        guard let profile else {
            object["tables"] = []
            object["hint"] =
                "Not profiled yet, so tables are unknown. Query information_schema.columns with execute_sql, or ask an admin to profile it."
            return .object(object)
        }
        let full: [JSONValue] = profile.tables.map { table in
            ["name": .string(table.qualifiedName), "rows": .int(table.rowCount), "columns": .int(Int64(table.columns.count))]
        }
        object["hint"] = "describe_dataset level 2 with tables=[…] gives columns, stats and weighting; level 3 adds samples."
        object["tables"] = .array(full)
        if Self.size(.object(object)) <= self.limits.level1Budget { return .object(object) }
        // Too many tables for sizes: names only, then as many names as fit.
        let names = profile.tables.map(\.qualifiedName)
        object["tables"] = nil
        object["table_names"] = .array(names.map(JSONValue.string))
        var kept = names.count
        while Self.size(.object(object)) > self.limits.level1Budget, kept > 1 {
            kept = kept * 3 / 4
            object["table_names"] = .array(names.prefix(kept).map(JSONValue.string))
            object["omitted_table_count"] = .int(Int64(names.count - kept))
            object["hint"] = .string(
                "\(names.count) tables; \(names.count - kept) not listed. Use search_datasets to find tables by topic, then level 2 with tables=[…]."
            )
        }
        return .object(object)
    }
}
