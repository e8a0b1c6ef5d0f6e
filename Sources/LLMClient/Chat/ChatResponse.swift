import AnalyticsCore

/// The answer to a ``ChatRequest``.
public struct ChatResponse: Sendable, Hashable {
    /// The assistant message text exactly as the model produced it.
    public var content: String
    /// The parsed answer when the request asked for ``ResponseFormat/jsonSchema(name:schema:)``.
    public var json: JSONValue?
    /// The model the provider reports having used (may carry a version suffix).
    public var model: String
    public var finishReason: String?
    /// Tokens, latency and attempts for the whole call, retries included.
    public var usage: LLMUsage

    public init(content: String, json: JSONValue?, model: String, finishReason: String?, usage: LLMUsage) {
        self.content = content
        self.json = json
        self.model = model
        self.finishReason = finishReason
        self.usage = usage
    }
}
