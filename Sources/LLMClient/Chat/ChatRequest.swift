import AnalyticsCore

/// A chat completion to run: the conversation, sampling settings and the expected answer shape.
///
/// The model is not part of the request: the client picks the configured model and, when that one
/// keeps failing, the fallback model, so callers never hard-code provider choices.
public struct ChatRequest: Sendable, Hashable {
    public var messages: [ChatMessage]
    public var temperature: Double?
    public var responseFormat: ResponseFormat
    public var maxCompletionTokens: Int?
    /// A short label recorded with the token usage (e.g. `"metadata_draft"`), so cost can be attributed.
    public var purpose: String?

    public init(
        messages: [ChatMessage],
        temperature: Double? = nil,
        responseFormat: ResponseFormat = .text,
        maxCompletionTokens: Int? = nil,
        purpose: String? = nil
    ) {
        self.messages = messages
        self.temperature = temperature
        self.responseFormat = responseFormat
        self.maxCompletionTokens = maxCompletionTokens
        self.purpose = purpose
    }
}
