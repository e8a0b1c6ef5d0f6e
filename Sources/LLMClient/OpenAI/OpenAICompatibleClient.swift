import AnalyticsCore
import AsyncHTTPClient
import Foundation
import Logging

/// A ``LanguageModel`` backed by any provider that speaks the OpenAI Chat Completions and
/// Embeddings API (OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp).
///
/// Every call retries transient failures with jittered backoff, honours `Retry-After`, falls back
/// to ``LLMConfiguration/fallbackModel`` once the primary model is exhausted, validates structured
/// output, and reports its ``LLMUsage`` both in the response and to the optional ``UsageRecorder``.
/// Failures surface as `LLM_UNAVAILABLE` or `LLM_INVALID_OUTPUT`; the API key never appears in an
/// error or a log line.
public struct OpenAICompatibleClient: LanguageModel {
    public let configuration: LLMConfiguration
    let httpClient: HTTPClient
    let usageRecorder: (any UsageRecorder)?
    let logger: Logger
    let apiKey: LLMAPIKey

    /// Creates a client on an `HTTPClient` the caller owns (by default the process-wide shared one,
    /// which needs no shutdown). Fails with `INVALID_CONFIGURATION` when no API key is configured.
    public init(
        configuration: LLMConfiguration,
        httpClient: HTTPClient = .shared,
        usageRecorder: (any UsageRecorder)? = nil,
        logger: Logger = Logger(label: "mcpa.llm")
    ) throws {
        guard let apiKey = configuration.apiKey else {
            throw AnalyticsError(
                .invalidConfiguration,
                "No API key is configured for the language model.",
                hint: "Set MCPA_LLM_API_KEY (or OPENAI_API_KEY), or use the offline provider."
            )
        }
        self.configuration = configuration
        self.httpClient = httpClient
        self.usageRecorder = usageRecorder
        self.logger = logger
        self.apiKey = apiKey
    }

    /// Runs `body` with a client on its own `HTTPClient`, shut down when `body` returns or throws.
    ///
    /// For callers (tools, tests) that must not leave connections behind in the shared client.
    public static func withOwnedHTTPClient<Result: Sendable>(
        configuration: LLMConfiguration,
        usageRecorder: (any UsageRecorder)? = nil,
        logger: Logger = Logger(label: "mcpa.llm"),
        _ body: (OpenAICompatibleClient) async throws -> Result
    ) async throws -> Result {
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let result: Result
        do {
            let client = try OpenAICompatibleClient(
                configuration: configuration,
                httpClient: httpClient,
                usageRecorder: usageRecorder,
                logger: logger
            )
            result = try await body(client)
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
        return result
    }

    public var isOffline: Bool { false }

    /// The models to try in order: the primary, then the fallback when it is configured and different.
    var chatModels: [String] {
        guard let fallback = self.configuration.fallbackModel, !fallback.isEmpty, fallback != self.configuration.model else {
            return [self.configuration.model]
        }
        return [self.configuration.model, fallback]
    }

    var retryLoop: RetryLoop { RetryLoop(configuration: self.configuration, logger: self.logger) }

    /// Converts a final retry failure into the client-facing error.
    func error(for failure: RetryLoop.Failure, operation: LLMUsage.Operation) -> AnalyticsError {
        let last = failure.last
        var details: [String: JSONValue] = [
            "attempts": .int(Int64(failure.attempts)),
            "models": .array(failure.modelsTried.map(JSONValue.string)),
        ]
        if let status = last.status { details["provider_status"] = .int(Int64(status)) }
        if let code = last.providerCode { details["provider_code"] = .string(code) }

        switch last.kind {
        case .invalidOutput:
            return AnalyticsError(
                .llmInvalidOutput,
                "The language model gave no valid \(operation == .chat ? "answer" : "embeddings") in \(failure.attempts) attempt(s): \(last.reason)",
                hint: "Retry later or with another model; drafts can also be written by hand or by the offline provider.",
                details: .object(details)
            )
        case .rejected:
            let hint =
                last.status == 401 || last.status == 403
                ? "Check the API key in MCPA_LLM_API_KEY (or OPENAI_API_KEY) and its permissions."
                : "Check the configured model names and base URL (\(self.configuration.baseURL))."
            return AnalyticsError(
                .llmUnavailable,
                "The language model provider rejected the request: \(last.reason)",
                hint: hint,
                details: .object(details)
            )
        case .rateLimited, .serverError, .timeout, .connection:
            return AnalyticsError(
                .llmUnavailable,
                "The language model provider is unavailable after \(failure.attempts) attempt(s) "
                    + "(models: \(failure.modelsTried.joined(separator: ", "))); last failure: \(last.reason)",
                hint: "Retry later; the dataset can be drafted offline meanwhile.",
                details: .object(details)
            )
        }
    }

    func record(_ usage: LLMUsage) async {
        self.logger.debug(
            "LLM call finished",
            metadata: [
                "mcpa.llm.operation": "\(usage.operation.rawValue)", "mcpa.llm.model": "\(usage.model)",
                "mcpa.llm.attempts": "\(usage.attempts)", "mcpa.llm.total_tokens": "\(usage.totalTokens)",
                "mcpa.llm.latency_ms": "\(Int(usage.latencyMilliseconds))",
                "mcpa.llm.error": "\(usage.errorCode?.rawValue ?? "none")",
            ]
        )
        await self.usageRecorder?.record(usage)
    }
}
