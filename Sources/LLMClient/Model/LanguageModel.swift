/// What the control plane needs from a language model: chat with structured output, and embeddings.
///
/// ``OpenAICompatibleClient`` implements it against any OpenAI-compatible provider; the control
/// plane substitutes its own offline implementation when no API key is configured, so every flow
/// (drafting, search) also runs in the demo and in tests.
public protocol LanguageModel: Sendable {
    /// `true` for implementations that never call a provider (deterministic offline drafts).
    var isOffline: Bool { get }

    /// Runs one chat completion, retrying and falling back as configured.
    func chat(_ request: ChatRequest) async throws -> ChatResponse

    /// One vector per text, in the order of `texts`.
    func embed(_ texts: [String]) async throws -> [[Float]]
}
