import AnalyticsCore

/// What shape the model's answer must take.
public enum ResponseFormat: Sendable, Hashable {
    /// Free text.
    case text
    /// JSON that follows `schema` (OpenAI structured output, `strict: true`).
    ///
    /// The client parses the answer and checks the schema's required top-level keys; an answer
    /// that fails is retried as a fresh request and finally reported as `LLM_INVALID_OUTPUT`.
    case jsonSchema(name: String, schema: JSONValue)
}

extension ResponseFormat {
    /// The `response_format` member of a Chat Completions request, or `nil` for plain text.
    var wireValue: JSONValue? {
        switch self {
        case .text:
            return nil
        case .jsonSchema(let name, let schema):
            return [
                "type": "json_schema",
                "json_schema": ["name": .string(name), "schema": schema, "strict": true],
            ]
        }
    }
}
