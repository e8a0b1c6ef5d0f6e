import AnalyticsCore
import Foundation

/// A drafted dataset documentation, as the model (or the offline drafter) produces it.
///
/// The typed form of ``MetadataDraftSchema/schema``: decoding a model answer into it is the
/// structural check; the semantic check against the profile is the control plane's.
public struct MetadataDraft: Sendable, Hashable, Codable {
    public struct Column: Sendable, Hashable, Codable {
        public var name: String
        public var description: String
        /// One of ``MetadataDraftSchema/semanticTypes``.
        public var semanticType: String
        public var pii: Bool

        public init(name: String, description: String, semanticType: String, pii: Bool) {
            self.name = name
            self.description = description
            self.semanticType = semanticType
            self.pii = pii
        }

        enum CodingKeys: String, CodingKey {
            case name
            case description
            case semanticType = "semantic_type"
            case pii
        }
    }

    public struct Table: Sendable, Hashable, Codable {
        public var table: String
        public var description: String
        public var columns: [Column]

        public init(table: String, description: String, columns: [Column]) {
            self.table = table
            self.description = description
            self.columns = columns
        }
    }

    public var summary: String
    public var description: String
    public var dataDictionary: [Table]
    public var useCases: [String]
    public var qualityNotes: [String]
    public var improvementSuggestions: [String]
    public var suggestedTags: [String]

    public init(
        summary: String,
        description: String,
        dataDictionary: [Table],
        useCases: [String],
        qualityNotes: [String],
        improvementSuggestions: [String],
        suggestedTags: [String]
    ) {
        self.summary = summary
        self.description = description
        self.dataDictionary = dataDictionary
        self.useCases = useCases
        self.qualityNotes = qualityNotes
        self.improvementSuggestions = improvementSuggestions
        self.suggestedTags = suggestedTags
    }

    enum CodingKeys: String, CodingKey {
        case summary
        case description
        case dataDictionary = "data_dictionary"
        case useCases = "use_cases"
        case qualityNotes = "quality_notes"
        case improvementSuggestions = "improvement_suggestions"
        case suggestedTags = "suggested_tags"
    }

    /// Decodes a structured answer; a shape that does not fit is `LLM_INVALID_OUTPUT`.
    public init(json: JSONValue) throws {
        do {
            self = try JSONDecoder().decode(MetadataDraft.self, from: json.serializedData())
        } catch {
            throw AnalyticsError(
                .llmInvalidOutput,
                "The metadata draft does not have the expected shape.",
                hint: "Regenerate the draft; the offline drafter can produce one without a model."
            )
        }
    }

    /// The draft as JSON with the schema's snake_case keys, for storage and the API.
    public var jsonValue: JSONValue {
        let columns: (Table) -> JSONValue = { table in
            .array(
                table.columns.map {
                    [
                        "name": .string($0.name), "description": .string($0.description),
                        "semantic_type": .string($0.semanticType), "pii": .bool($0.pii),
                    ]
                }
            )
        }
        return [
            "summary": .string(self.summary),
            "description": .string(self.description),
            "data_dictionary": .array(
                self.dataDictionary.map { ["table": .string($0.table), "description": .string($0.description), "columns": columns($0)] }
            ),
            "use_cases": .array(self.useCases.map(JSONValue.string)),
            "quality_notes": .array(self.qualityNotes.map(JSONValue.string)),
            "improvement_suggestions": .array(self.improvementSuggestions.map(JSONValue.string)),
            "suggested_tags": .array(self.suggestedTags.map(JSONValue.string)),
        ]
    }
}
