/// One scripted answer of ``FakeOpenAIServer``.
public indirect enum FakeOpenAIReply: Sendable {
    /// HTTP 200 Chat Completions answer whose assistant message is `content`. Usage is counted from
    /// the words of the prompt and the answer unless given.
    case content(String, usage: FakeOpenAIUsage? = nil)
    /// HTTP 200 Embeddings answer with ``FakeOpenAIServer/embedding(for:)`` of every input.
    case embeddings
    /// Like ``embeddings`` but with the `data` items in reverse order (indices still correct), as a
    /// provider is allowed to answer.
    case embeddingsOutOfOrder
    /// An error status with an OpenAI-shaped error body and, when given, a `Retry-After` header.
    ///
    /// Without `message`, a 401 echoes the received API key in its message (as careless providers
    /// do) so tests can prove the client never repeats it; in `message`, `$API_KEY` is replaced the same way.
    case status(Int, retryAfter: String? = nil, message: String? = nil)
    /// Any status with this raw body (e.g. a broken envelope).
    case rawBody(String, status: Int = 200)
    /// Waits `delay`, then sends `reply`: longer than the client's timeout, it is a timeout.
    case delayed(Duration, FakeOpenAIReply)
    /// Closes the connection without answering.
    case closeConnection
    /// Computes the reply from the request, for tests whose answer depends on the prompt.
    case computed(@Sendable (FakeOpenAIRequest) -> FakeOpenAIReply)

    /// A 200 answer whose content is cut-off JSON, as a model hitting its token limit produces.
    public static let malformedJSON = FakeOpenAIReply.content(#"{"summary": "A panel of households", "description": "#)
}

/// Token counts to report in a scripted answer.
public struct FakeOpenAIUsage: Sendable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int

    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    public var totalTokens: Int { self.promptTokens + self.completionTokens }
}

/// The routes the fake serves.
public enum FakeOpenAIEndpoint: String, Sendable, Hashable, CaseIterable {
    case chatCompletions = "/v1/chat/completions"
    case embeddings = "/v1/embeddings"
}
