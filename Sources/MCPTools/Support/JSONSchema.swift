import AnalyticsCore

/// Small builders for the compact JSON Schemas in tool definitions.
///
/// `tools/list` must stay within ~1.5k tokens for all tools, so schemas say only what a client
/// needs to call a tool correctly: types, required fields, enums and bounds.
enum JSONSchema {
    /// An input object. Unknown arguments are refused by the tools themselves (with a hint naming
    /// the valid ones), so the schema spends no characters on `additionalProperties`.
    static func object(_ properties: [String: JSONValue], required: [String] = []) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required.map(JSONValue.string)) }
        return .object(schema)
    }

    static func string(_ description: String? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "string"]
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    static func integer(_ range: ClosedRange<Int>, _ description: String? = nil) -> JSONValue {
        var schema: [String: JSONValue] = [
            "type": "integer", "minimum": .int(Int64(range.lowerBound)), "maximum": .int(Int64(range.upperBound)),
        ]
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    static func array(of items: JSONValue, maxItems: Int? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "array", "items": items]
        if let maxItems { schema["maxItems"] = .int(Int64(maxItems)) }
        return .object(schema)
    }

    static let anyObject: JSONValue = ["type": "object"]

    /// `dataset_id`: an enum of the caller's active datasets, so the tool list changes with the registry.
    static func datasetID(_ ids: [String]) -> JSONValue {
        guard !ids.isEmpty else { return ["type": "string", "description": "No dataset is active yet."] }
        return ["type": "string", "enum": .array(ids.map(JSONValue.string))]
    }

    /// An output schema: an object with these top-level fields (their shapes are in the tool's text).
    static func output(_ fields: String...) -> JSONValue {
        ["type": "object", "required": .array(fields.map(JSONValue.string))]
    }
}
