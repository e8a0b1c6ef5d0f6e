import AnalyticsCore

/// Weighting documents for the core tests (the core cannot see the demo panel's, in DataPlane).
enum TestConfigs {
    static func value(_ value: String, _ label: String? = nil, _ aliases: [String] = []) -> JSONValue {
        .object(["value": .string(value), "label": .string(label ?? value), "aliases": .array(aliases.map(JSONValue.string))])
    }

    /// A panel shaped like the demo: gender, age bands, merged NCCS, region.
    static var panel: JSONValue {
        [
            "respondent_table": "respondents",
            "respondent_key": "respondent_id",
            "weight_column": "weight",
            "dimensions": [
                [
                    "column": "gender", "label": "Gender", "aliases": ["sex"],
                    "values": [value("Female", nil, ["women", "woman", "females"]), value("Male", nil, ["men", "man", "males"])],
                ],
                [
                    "column": "age_band", "label": "Age", "aliases": ["age group"],
                    "values": [value("15-24"), value("25-34"), value("35-44"), value("45-54"), value("55+", nil, ["seniors", "55 plus"])],
                ],
                [
                    "column": "nccs", "label": "NCCS", "aliases": ["sec"],
                    "values": [value("A", "NCCS A", ["class a"]), value("B", "NCCS B"), value("C/D/E", "NCCS C/D/E", ["cde"])],
                    "merge": ["A1": "A", "C": "C/D/E", "D": "C/D/E", "E": "C/D/E"],
                    "order": ["A", "B", "C/D/E"],
                ],
                [
                    "column": "region", "label": "Region", "aliases": ["zone"],
                    "values": [value("North", nil, ["northern"]), value("South"), value("East"), value("West")],
                ],
            ],
            "event_tables": [
                [
                    "table": "tv_viewing", "label": "TV viewing", "respondent_key": "respondent_id", "time_column": "start_time",
                    "time_type": "timestamp", "measures": [["column": "minutes", "label": "Minutes viewed", "unit": "minutes"]],
                    "filter_columns": ["genre"],
                ]
            ],
            "personas": [
                [
                    "name": "urban_affluent_women", "label": "Female 25-34 NCCS A",
                    "filters": ["gender": ["Female"], "age_band": ["25-34"], "nccs": ["A"]],
                ]
            ],
        ]
    }

    /// The panel plus two dimensions that share the values "High" and "Low".
    static var ambiguous: JSONValue {
        var root = self.panel.objectValue ?? [:]
        var dimensions = root["dimensions"]?.arrayValue ?? []
        dimensions.append(["column": "income", "label": "Income", "values": [value("High"), value("Low")]])
        dimensions.append(["column": "education", "label": "Education", "values": [value("High"), value("Low")]])
        root["dimensions"] = .array(dimensions)
        return .object(root)
    }

    static func edited(_ edit: (inout [String: JSONValue]) -> Void) -> JSONValue {
        var root = self.panel.objectValue ?? [:]
        edit(&root)
        return .object(root)
    }
}
