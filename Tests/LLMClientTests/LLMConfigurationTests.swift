import AnalyticsCore
import LLMClient
import Testing

/// Configuration from the environment, key precedence and redaction.
@Suite struct LLMConfigurationTests {
    @Test func defaultsWithoutEnvironment() throws {
        let configuration = try LLMConfiguration.fromEnvironment([:])

        #expect(configuration.baseURL == "https://api.openai.com/v1")
        #expect(configuration.model == "gpt-4.1-mini")
        #expect(configuration.embeddingsModel == "text-embedding-3-small")
        #expect(configuration.fallbackModel == nil)
        #expect(configuration.apiKey == nil)
        #expect(!configuration.hasAPIKey)
        #expect(configuration.maxRetries == 3)
    }

    @Test func openAIKeyIsHonoured() throws {
        let configuration = try LLMConfiguration.fromEnvironment(["OPENAI_API_KEY": "sk-openai-123"])

        #expect(configuration.apiKey == LLMAPIKey("sk-openai-123"))
        #expect(configuration.apiKeySource == "OPENAI_API_KEY")
    }

    @Test func mcpaKeyWinsOverOpenAIKey() throws {
        let configuration = try LLMConfiguration.fromEnvironment(["OPENAI_API_KEY": "sk-openai-123", "MCPA_LLM_API_KEY": "sk-mcpa-456"])

        #expect(configuration.apiKey == LLMAPIKey("sk-mcpa-456"))
        #expect(configuration.apiKeySource == "MCPA_LLM_API_KEY")
    }

    @Test func emptyMCPAKeyFallsBackToOpenAIKey() throws {
        let configuration = try LLMConfiguration.fromEnvironment(["OPENAI_API_KEY": "sk-openai-123", "MCPA_LLM_API_KEY": "  "])

        #expect(configuration.apiKey == LLMAPIKey("sk-openai-123"))
    }

    @Test func allSettingsAreRead() throws {
        let configuration = try LLMConfiguration.fromEnvironment([
            "MCPA_LLM_BASE_URL": "http://localhost:11434/v1/",
            "MCPA_LLM_MODEL": "llama3.1",
            "MCPA_LLM_FALLBACK_MODEL": "gpt-4o-mini",
            "MCPA_LLM_EMBEDDINGS_MODEL": "nomic-embed-text",
            "MCPA_LLM_TIMEOUT_SECONDS": "2.5",
            "MCPA_LLM_MAX_RETRIES": "0",
            "MCPA_LLM_BACKOFF_BASE_MS": "100",
            "MCPA_LLM_BACKOFF_CAP_MS": "2000",
        ])

        #expect(configuration.baseURL == "http://localhost:11434/v1")
        #expect(configuration.model == "llama3.1")
        #expect(configuration.fallbackModel == "gpt-4o-mini")
        #expect(configuration.embeddingsModel == "nomic-embed-text")
        #expect(configuration.requestTimeout == .milliseconds(2500))
        #expect(configuration.maxRetries == 0)
        #expect(configuration.backoffBase == .milliseconds(100))
        #expect(configuration.backoffCap == .seconds(2))
    }

    @Test(arguments: [
        ("MCPA_LLM_MAX_RETRIES", "three"),
        ("MCPA_LLM_MAX_RETRIES", "-1"),
        ("MCPA_LLM_TIMEOUT_SECONDS", "0"),
        ("MCPA_LLM_TIMEOUT_SECONDS", "soon"),
        ("MCPA_LLM_BACKOFF_CAP_MS", "1.5"),
        ("MCPA_LLM_BASE_URL", "ftp://example.com/v1"),
        ("MCPA_LLM_BASE_URL", "not a url"),
    ])
    func malformedValuesAreRejected(variable: String, value: String) throws {
        let error = try #require(throws: AnalyticsError.self) { try LLMConfiguration.fromEnvironment([variable: value]) }

        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains(variable))
    }

    @Test func baseURLWithCredentialsIsRejectedWithoutEchoingThem() throws {
        let error = try #require(throws: AnalyticsError.self) {
            try LLMConfiguration.fromEnvironment(["MCPA_LLM_BASE_URL": "https://user:sk-hidden-789@llm.example.com/v1"])
        }

        #expect(error.code == .invalidConfiguration)
        #expect(!"\(error) \(error.hint ?? "")".contains("sk-hidden-789"))
    }

    @Test func keyIsRedactedEverywhere() throws {
        let secret = "sk-very-secret-0042"
        let configuration = try LLMConfiguration.fromEnvironment(["MCPA_LLM_API_KEY": secret])
        var dumped = ""
        dump(configuration, to: &dumped)
        let key = try #require(configuration.apiKey)

        let renderings = [
            configuration.description, "\(configuration)", String(reflecting: configuration), dumped,
            "\(key)", String(reflecting: key),
        ]

        #expect(renderings.allSatisfy { !$0.contains(secret) })
        #expect(configuration.description.contains("[redacted]"))
        #expect(configuration.description.contains("MCPA_LLM_API_KEY"))
    }

    @Test func factoryChoosesOfflineWithoutKey() throws {
        #expect(LanguageModelFactory.make(configuration: try .fromEnvironment([:])) == nil)

        let model = try #require(LanguageModelFactory.make(configuration: try .fromEnvironment(["OPENAI_API_KEY": "sk-x"])))
        #expect(!model.isOffline)
        #expect(model is OpenAICompatibleClient)
    }

    @Test func clientRefusesToStartWithoutKey() throws {
        let error = try #require(throws: AnalyticsError.self) { try OpenAICompatibleClient(configuration: LLMConfiguration()) }

        #expect(error.code == .invalidConfiguration)
    }

    @Test func keyWrapperTrimsAndRejectsEmpty() {
        #expect(LLMAPIKey("   ") == nil)
        #expect(LLMAPIKey(" sk-a \n") == LLMAPIKey("sk-a"))
    }
}
