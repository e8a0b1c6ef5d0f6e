import Foundation

/// Everything the OpenAI-compatible client needs to reach a provider.
///
/// The base URL is configurable because OpenAI, Azure OpenAI, vLLM, Ollama and llama.cpp all speak
/// the same Chat Completions / Embeddings shape. Without an ``apiKey`` the server runs its offline
/// path (see ``LanguageModelFactory``). The key never appears in ``description``.
public struct LLMConfiguration: Sendable, CustomStringConvertible {
    public static let defaultBaseURL = "https://api.openai.com/v1"
    public static let defaultModel = "gpt-4.1-mini"
    public static let defaultEmbeddingsModel = "text-embedding-3-small"

    /// The API root, without a trailing slash; `/chat/completions` and `/embeddings` are appended.
    public var baseURL: String
    public var apiKey: LLMAPIKey?
    /// Which environment variable the key came from, for start-up logs that must not print the key.
    public var apiKeySource: String?
    public var model: String
    /// Tried once (with its own retries) after the primary model has exhausted its retries.
    public var fallbackModel: String?
    public var embeddingsModel: String
    /// Limit for one HTTP attempt, from connecting to the last byte of the body.
    public var requestTimeout: Duration
    /// Retries after the first attempt, per model; `0` means a single attempt.
    public var maxRetries: Int
    /// Full-jitter exponential backoff: retry `n` waits a random time in `0...min(cap, base·2ⁿ)`.
    public var backoffBase: Duration
    public var backoffCap: Duration
    /// Upper bound on a provider's `Retry-After`, so a hostile or confused header cannot stall a job.
    public var retryAfterCap: Duration
    /// Texts per embeddings request.
    public var embeddingsBatchSize: Int
    /// Response bodies larger than this are refused (a guard against runaway output).
    public var maxResponseBytes: Int

    public init(
        baseURL: String = LLMConfiguration.defaultBaseURL,
        apiKey: LLMAPIKey? = nil,
        apiKeySource: String? = nil,
        model: String = LLMConfiguration.defaultModel,
        fallbackModel: String? = nil,
        embeddingsModel: String = LLMConfiguration.defaultEmbeddingsModel,
        requestTimeout: Duration = .seconds(60),
        maxRetries: Int = 3,
        backoffBase: Duration = .milliseconds(500),
        backoffCap: Duration = .seconds(20),
        retryAfterCap: Duration = .seconds(60),
        embeddingsBatchSize: Int = 128,
        maxResponseBytes: Int = 16 * 1024 * 1024
    ) {
        self.baseURL = Self.trimmingTrailingSlashes(baseURL)
        self.apiKey = apiKey
        self.apiKeySource = apiKeySource
        self.model = model
        self.fallbackModel = fallbackModel
        self.embeddingsModel = embeddingsModel
        self.requestTimeout = requestTimeout
        self.maxRetries = max(0, maxRetries)
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
        self.retryAfterCap = retryAfterCap
        self.embeddingsBatchSize = max(1, embeddingsBatchSize)
        self.maxResponseBytes = max(1024, maxResponseBytes)
    }

    /// Whether a key is configured, i.e. whether the online client can be used at all.
    public var hasAPIKey: Bool { self.apiKey != nil }

    public var description: String {
        let key = self.apiKey == nil ? "not set" : "set from \(self.apiKeySource ?? "configuration"), [redacted]"
        return "LLMConfiguration(baseURL: \(self.baseURL), model: \(self.model), fallbackModel: \(self.fallbackModel ?? "none"), "
            + "embeddingsModel: \(self.embeddingsModel), apiKey: \(key), requestTimeout: \(self.requestTimeout), "
            + "maxRetries: \(self.maxRetries), backoffBase: \(self.backoffBase), backoffCap: \(self.backoffCap))"
    }

    static func trimmingTrailingSlashes(_ url: String) -> String {
        var url = url.trimmingCharacters(in: .whitespacesAndNewlines)
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
