import LLMClient
import TestSupport

/// The API key used against the fake; distinctive so a leak is easy to find in any text.
let testAPIKey = "sk-test-SECRET-4f1c9e27d3"

extension LLMConfiguration {
    /// A configuration pointing at `server` with millisecond backoff, so retry tests stay fast.
    static func forFake(
        _ server: FakeOpenAIServer,
        fallbackModel: String? = nil,
        maxRetries: Int = 3,
        requestTimeout: Duration = .seconds(5),
        embeddingsBatchSize: Int = 128
    ) -> LLMConfiguration {
        LLMConfiguration(
            baseURL: server.baseURL,
            apiKey: LLMAPIKey(testAPIKey),
            apiKeySource: "test",
            model: "primary-model",
            fallbackModel: fallbackModel,
            embeddingsModel: "embedding-model",
            requestTimeout: requestTimeout,
            maxRetries: maxRetries,
            backoffBase: .milliseconds(5),
            backoffCap: .milliseconds(20),
            retryAfterCap: .seconds(5),
            embeddingsBatchSize: embeddingsBatchSize
        )
    }
}
