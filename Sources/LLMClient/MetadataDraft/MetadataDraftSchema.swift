import AnalyticsCore

/// The JSON schema of a metadata draft, sent as OpenAI structured output (`strict: true`).
///
/// Strict mode needs every property listed as required and `additionalProperties: false` on every
/// object, so optional facts are empty strings or empty arrays rather than missing keys. The
/// control plane still checks the answer against the profile: tables and columns the model
/// invents are dropped and reported there.
public enum MetadataDraftSchema {
    /// The `json_schema.name` sent to the provider.
    public static let name = "metadata_draft"

    /// The closed set of column roles the model may choose from; the prompt lists the same values.
    public static let semanticTypes: [String] = [
        "identifier", "foreign_key", "weight", "persona_dimension", "categorical", "numeric_measure", "count",
        "currency", "percentage", "boolean_flag", "date", "timestamp", "free_text", "email", "phone",
        "person_name", "address", "geography", "other",
    ]

    /// Top-level keys, in the order the prompt explains them.
    public static let topLevelKeys = [
        "summary", "description", "data_dictionary", "use_cases", "quality_notes", "improvement_suggestions", "suggested_tags",
    ]

    public static var schema: JSONValue {
        let column: JSONValue = [
            "type": "object",
            "additionalProperties": false,
            "required": ["name", "description", "semantic_type", "pii"],
            "properties": [
                "name": text("The column name exactly as in the profile."),
                "description": text("What the column holds, its unit and coding, in one or two sentences."),
                "semantic_type": [
                    "type": "string",
                    "enum": .array(Self.semanticTypes.map(JSONValue.string)),
                    "description": "The column's analytical role.",
                ],
                "pii": ["type": "boolean", "description": "True when the column can identify a person."],
            ],
        ]
        let table: JSONValue = [
            "type": "object",
            "additionalProperties": false,
            "required": ["table", "description", "columns"],
            "properties": [
                "table": text("The table name exactly as in the profile, schema-qualified when the profile is."),
                "description": text("What one row of the table represents and what the table is for."),
                "columns": ["type": "array", "items": column],
            ],
        ]
        return [
            "type": "object",
            "additionalProperties": false,
            "required": .array(Self.topLevelKeys.map(JSONValue.string)),
            "properties": [
                "summary": text("One sentence of at most 200 characters for dataset lists."),
                "description": text("Two to four short paragraphs: coverage, population, period, unit of observation, weighting."),
                "data_dictionary": ["type": "array", "items": table],
                "use_cases": strings("Questions analysts can answer with this dataset."),
                "quality_notes": strings("Observations about data quality, citing the profile or the quality findings."),
                "improvement_suggestions": strings("Concrete changes that would make the dataset easier or safer to use."),
                "suggested_tags": strings("Short lowercase tags for search, e.g. 'panel', 'media', 'fmcg'."),
            ],
        ]
    }

    private static func text(_ description: String) -> JSONValue {
        ["type": "string", "description": .string(description)]
    }

    private static func strings(_ description: String) -> JSONValue {
        ["type": "array", "items": ["type": "string"], "description": .string(description)]
    }
}
