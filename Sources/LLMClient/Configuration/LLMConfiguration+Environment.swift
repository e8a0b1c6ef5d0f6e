import AnalyticsCore
import Foundation

extension LLMConfiguration {
    /// The environment variables ``fromEnvironment(_:)`` reads, for `serve --help` and the docs.
    public enum EnvironmentKey {
        /// Preferred key variable; wins over `OPENAI_API_KEY` when both are set.
        public static let apiKey = "MCPA_LLM_API_KEY"
        /// The variable the OpenAI SDKs use, honoured so an existing setup just works.
        public static let openAIAPIKey = "OPENAI_API_KEY"
        public static let baseURL = "MCPA_LLM_BASE_URL"
        public static let model = "MCPA_LLM_MODEL"
        public static let fallbackModel = "MCPA_LLM_FALLBACK_MODEL"
        public static let embeddingsModel = "MCPA_LLM_EMBEDDINGS_MODEL"
        /// Seconds per HTTP attempt (decimals allowed).
        public static let timeout = "MCPA_LLM_TIMEOUT_SECONDS"
        public static let maxRetries = "MCPA_LLM_MAX_RETRIES"
        public static let backoffBase = "MCPA_LLM_BACKOFF_BASE_MS"
        public static let backoffCap = "MCPA_LLM_BACKOFF_CAP_MS"
    }

    /// Reads the configuration from `MCPA_LLM_*` variables (and `OPENAI_API_KEY`), defaults elsewhere.
    ///
    /// Empty variables count as unset. A malformed value is an `INVALID_CONFIGURATION` error naming
    /// the variable (never echoing a key), so a typo fails at start-up instead of at the first draft.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> LLMConfiguration {
        func value(_ key: String) -> String? {
            guard let raw = environment[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else { return nil }
            return raw
        }

        var configuration = LLMConfiguration()
        if let key = value(EnvironmentKey.apiKey).flatMap(LLMAPIKey.init) {
            configuration.apiKey = key
            configuration.apiKeySource = EnvironmentKey.apiKey
        } else if let key = value(EnvironmentKey.openAIAPIKey).flatMap(LLMAPIKey.init) {
            configuration.apiKey = key
            configuration.apiKeySource = EnvironmentKey.openAIAPIKey
        }
        if let baseURL = value(EnvironmentKey.baseURL) {
            configuration.baseURL = try Self.validatedBaseURL(baseURL, variable: EnvironmentKey.baseURL)
        }
        if let model = value(EnvironmentKey.model) { configuration.model = model }
        configuration.fallbackModel = value(EnvironmentKey.fallbackModel)
        if let model = value(EnvironmentKey.embeddingsModel) { configuration.embeddingsModel = model }
        if let raw = value(EnvironmentKey.timeout) {
            guard let seconds = Double(raw), seconds.isFinite, seconds > 0, seconds <= 3600 else {
                throw Self.invalid(EnvironmentKey.timeout, "a number of seconds between 0 and 3600")
            }
            configuration.requestTimeout = .milliseconds(Int64((seconds * 1000).rounded()))
        }
        if let raw = value(EnvironmentKey.maxRetries) {
            guard let retries = Int(raw), (0...20).contains(retries) else {
                throw Self.invalid(EnvironmentKey.maxRetries, "an integer between 0 and 20")
            }
            configuration.maxRetries = retries
        }
        if let raw = value(EnvironmentKey.backoffBase) {
            configuration.backoffBase = .milliseconds(try Self.milliseconds(raw, variable: EnvironmentKey.backoffBase))
        }
        if let raw = value(EnvironmentKey.backoffCap) {
            configuration.backoffCap = .milliseconds(try Self.milliseconds(raw, variable: EnvironmentKey.backoffCap))
        }
        return configuration
    }

    /// Checks that `raw` is an absolute `http(s)` URL with a host and drops trailing slashes.
    public static func validatedBaseURL(_ raw: String, variable: String = "base URL") throws -> String {
        let trimmed = Self.trimmingTrailingSlashes(raw)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.user == nil, components.password == nil
        else {
            throw Self.invalid(variable, "an http(s) URL such as \(Self.defaultBaseURL), without credentials")
        }
        return trimmed
    }

    private static func milliseconds(_ raw: String, variable: String) throws -> Int64 {
        guard let ms = Int64(raw), (0...600_000).contains(ms) else {
            throw Self.invalid(variable, "an integer number of milliseconds between 0 and 600000")
        }
        return ms
    }

    private static func invalid(_ variable: String, _ expected: String) -> AnalyticsError {
        AnalyticsError(
            .invalidConfiguration,
            "The environment variable \(variable) is malformed.",
            hint: "Set \(variable) to \(expected), or unset it to use the default."
        )
    }
}
