import AsyncHTTPClient
import Logging

/// Chooses the online client when it can work, so callers have one place to decide.
public enum LanguageModelFactory {
    /// The OpenAI-compatible client when an API key is configured, else `nil`: the caller then
    /// uses its offline path (the control plane's deterministic drafter and lexical search).
    public static func make(
        configuration: LLMConfiguration,
        httpClient: HTTPClient = .shared,
        usageRecorder: (any UsageRecorder)? = nil,
        logger: Logger = Logger(label: "mcpa.llm")
    ) -> (any LanguageModel)? {
        guard self.announce(configuration, logger: logger) else { return nil }
        return try? OpenAICompatibleClient(
            configuration: configuration,
            httpClient: httpClient,
            usageRecorder: usageRecorder,
            logger: logger
        )
    }

    /// Logs which provider drafting will use (never the key itself); `false` without an API key.
    static func announce(_ configuration: LLMConfiguration, logger: Logger) -> Bool {
        guard configuration.hasAPIKey else {
            logger.info("No LLM API key configured; using the offline provider")
            return false
        }
        logger.info(
            "Using an OpenAI-compatible language model",
            metadata: [
                "mcpa.llm.base_url": "\(configuration.baseURL)", "mcpa.llm.model": "\(configuration.model)",
                "mcpa.llm.key_source": "\(configuration.apiKeySource ?? "configuration")",
            ]
        )
        return true
    }
}
