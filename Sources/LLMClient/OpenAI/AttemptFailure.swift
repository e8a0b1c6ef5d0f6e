/// Why one HTTP attempt failed, and whether a new attempt may succeed.
///
/// ``reason`` is safe to log and to put in an error message: it never holds the API key or a
/// provider body that was not passed through ``LLMAPIKey/redact(in:)``.
struct AttemptFailure: Error, Sendable {
    enum Kind: Sendable, Equatable {
        /// HTTP 429.
        case rateLimited
        /// HTTP 5xx.
        case serverError
        /// The attempt ran past the request timeout.
        case timeout
        /// Connecting failed or the connection broke.
        case connection
        /// A 2xx answer that is not what was asked for (bad envelope, malformed structured output).
        case invalidOutput
        /// A 4xx other than 408/429: the request itself is wrong, retrying cannot help.
        case rejected
    }

    var kind: Kind
    var status: Int?
    var reason: String
    /// The wait the provider asked for (`Retry-After` on 429/503).
    var retryAfter: Duration?
    /// The provider's machine-readable error code or type (e.g. `invalid_api_key`), when given.
    var providerCode: String?
    /// Tokens the failed attempt still consumed (a malformed answer is billed too).
    var tokens = TokenCounts()

    var isRetryable: Bool { self.kind != .rejected }
}

/// Prompt, completion and total tokens as reported by the provider.
struct TokenCounts: Sendable, Hashable {
    var prompt = 0
    var completion = 0
    var total = 0

    mutating func add(_ other: TokenCounts) {
        self.prompt += other.prompt
        self.completion += other.completion
        self.total += other.total
    }
}
