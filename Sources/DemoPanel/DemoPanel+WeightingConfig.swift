import AnalyticsCore

extension DemoPanel {
    /// The demo panel's weighting config (DESIGN §5.2), the document the weighting engine reads.
    ///
    /// Shape (snake_case keys, version 1):
    /// - `respondent_table`, `respondent_key`, `weight_column`: where respondents and weights live.
    /// - `dimensions`: persona dimensions, each `{column, label, aliases, values, merge, order}`:
    ///   - `values`: the categories reported *after* merges, each `{value, label, aliases}`; `aliases`
    ///     are lower-case free-text spellings a persona parser may match (case- and space-insensitively);
    ///   - `merge`: raw value → reported value, applied in SQL before aggregation (NCCS `A1→A`,
    ///     `C, D, E → C/D/E`); raw values not listed are reported as themselves;
    ///   - `order`: display order of reported values.
    /// - `min_base` (withhold below), `caution_base` (flag below), `unweighted_policy` (`warn` | `block`).
    /// - `event_tables`: tables of events per respondent, each `{table, label, respondent_key,
    ///   time_column, time_type, measures: [{column, label, unit, aggregations}], filter_columns}`; an
    ///   event measure for a respondent without events is 0.
    /// - `personas`: the named personas of ``personas``.
    public static var weightingConfig: JSONValue {
        .object([
            "version": 1,
            "respondent_table": .string(DemoPanelSchema.respondents.name),
            "respondent_key": "respondent_id",
            "weight_column": "weight",
            "dimensions": .array(Self.dimensions),
            "min_base": 30,
            "caution_base": 100,
            "unweighted_policy": "warn",
            "event_tables": .array(Self.eventTables),
            "personas": .array(Self.personas.map(\.jsonValue)),
        ])
    }

    private static var dimensions: [JSONValue] {
        [
            self.dimension(
                column: "gender",
                label: "Gender",
                aliases: ["sex"],
                values: [
                    ("Female", "Female", ["female", "females", "woman", "women", "f", "girls", "ladies"]),
                    ("Male", "Male", ["male", "males", "man", "men", "m", "boys"]),
                ]
            ),
            self.dimension(
                column: "age_band",
                label: "Age",
                aliases: ["age band", "age group"],
                values: [
                    ("15-24", "15-24", ["15 to 24", "15-24 years", "aged 15-24", "15 24"]),
                    ("25-34", "25-34", ["25 to 34", "25-34 years", "aged 25-34", "25 34"]),
                    ("35-44", "35-44", ["35 to 44", "35-44 years", "aged 35-44", "35 44"]),
                    ("45-54", "45-54", ["45 to 54", "45-54 years", "aged 45-54", "45 54"]),
                    ("55+", "55+", ["55 plus", "55 and over", "55 and above", "over 55", "aged 55+", "seniors"]),
                ]
            ),
            self.dimension(
                column: "nccs",
                label: "NCCS",
                aliases: ["nccs class", "sec", "socio-economic class"],
                values: [
                    ("A", "NCCS A", ["nccs a", "nccs-a", "sec a", "class a"]),
                    ("B", "NCCS B", ["nccs b", "nccs-b", "sec b", "class b"]),
                    ("C/D/E", "NCCS C/D/E", ["nccs cde", "nccs c/d/e", "nccs c-d-e", "sec cde", "cde", "c/d/e"]),
                ],
                merge: ["A1": "A", "C": "C/D/E", "D": "C/D/E", "E": "C/D/E"]
            ),
            self.dimension(
                column: "region",
                label: "Region",
                aliases: ["zone"],
                values: [
                    ("North", "North", ["north", "northern", "north india"]),
                    ("South", "South", ["south", "southern", "south india"]),
                    ("East", "East", ["east", "eastern", "east india"]),
                    ("West", "West", ["west", "western", "west india"]),
                ]
            ),
            self.dimension(
                column: "city_tier",
                label: "City tier",
                aliases: ["town class", "tier"],
                values: [
                    ("Metro", "Metro", ["metro", "metros", "metro cities"]),
                    ("Tier 1", "Tier 1", ["tier 1", "tier-1", "tier one"]),
                    ("Tier 2", "Tier 2", ["tier 2", "tier-2", "tier two"]),
                    ("Tier 3", "Tier 3", ["tier 3", "tier-3", "tier three"]),
                    ("Rural", "Rural", ["rural", "village", "villages"]),
                ]
            ),
        ]
    }

    private static func dimension(
        column: String,
        label: String,
        aliases: [String],
        values: [(value: String, label: String, aliases: [String])],
        merge: [String: String] = [:]
    ) -> JSONValue {
        .object([
            "column": .string(column),
            "label": .string(label),
            "aliases": .array(aliases.map(JSONValue.string)),
            "values": .array(
                values.map { entry in
                    .object([
                        "value": .string(entry.value),
                        "label": .string(entry.label),
                        "aliases": .array(entry.aliases.map(JSONValue.string)),
                    ])
                }
            ),
            "merge": .object(merge.mapValues(JSONValue.string)),
            "order": .array(values.map { .string($0.value) }),
        ])
    }

    private static var eventTables: [JSONValue] {
        [
            .object([
                "table": .string(DemoPanelSchema.tvViewing.name),
                "label": "TV viewing",
                "respondent_key": "respondent_id",
                "time_column": "start_time",
                "time_type": "timestamp",
                "measures": [
                    ["column": "minutes", "label": "Minutes viewed", "unit": "minutes", "aggregations": ["sum", "avg", "count"]]
                ],
                "filter_columns": ["channel", "genre"],
            ]),
            .object([
                "table": .string(DemoPanelSchema.purchases.name),
                "label": "Purchases",
                "respondent_key": "respondent_id",
                "time_column": "purchase_date",
                "time_type": "date",
                "measures": [
                    ["column": "amount", "label": "Amount spent", "unit": "INR", "aggregations": ["sum", "avg", "count"]]
                ],
                "filter_columns": ["category", "brand"],
            ]),
        ]
    }
}
