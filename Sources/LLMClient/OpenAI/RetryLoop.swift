import Logging

/// Runs an attempt until it succeeds, first on the primary model and then once on the fallback.
///
/// Retryable failures (429, 5xx, timeouts, broken connections, malformed output) wait with full-jitter
/// exponential backoff, or exactly as long as the provider's `Retry-After` says (capped), and try
/// again as a fresh request. A rejected request (4xx other than 408/429) ends the call at once:
/// neither another attempt nor another model fixes a bad key or a bad request.
struct RetryLoop: Sendable {
    var maxRetries: Int
    var backoffBase: Duration
    var backoffCap: Duration
    var retryAfterCap: Duration
    var logger: Logger

    init(configuration: LLMConfiguration, logger: Logger) {
        self.maxRetries = configuration.maxRetries
        self.backoffBase = configuration.backoffBase
        self.backoffCap = configuration.backoffCap
        self.retryAfterCap = configuration.retryAfterCap
        self.logger = logger
    }

    struct Outcome<Value: Sendable>: Sendable {
        var value: Value
        var model: String
        var usedFallback: Bool
        var attempts: Int
        /// Tokens consumed by the failed attempts before the successful one.
        var failedAttemptTokens: TokenCounts
    }

    /// The call failed for good.
    struct Failure: Error, Sendable {
        var last: AttemptFailure
        var attempts: Int
        var modelsTried: [String]
        var failedAttemptTokens: TokenCounts
    }

    /// Runs `attempt` with each model of `models` in turn (primary first) until one succeeds.
    ///
    /// `attempt` throws ``AttemptFailure`` or `CancellationError`; cancellation ends the loop at once.
    func run<Value: Sendable>(
        models: [String],
        _ attempt: (_ model: String) async throws -> Value
    ) async throws -> Outcome<Value> {
        var attempts = 0
        var spent = TokenCounts()
        var tried: [String] = []
        var last: AttemptFailure?
        for (modelIndex, model) in models.enumerated() {
            tried.append(model)
            if modelIndex > 0 {
                self.logger.warning(
                    "Primary model exhausted its retries; trying the fallback model",
                    metadata: ["mcpa.llm.model": "\(model)", "mcpa.llm.attempts": "\(attempts)"]
                )
            }
            for retry in 0...self.maxRetries {
                try Task.checkCancellation()
                attempts += 1
                do {
                    let value = try await attempt(model)
                    return Outcome(value: value, model: model, usedFallback: modelIndex > 0, attempts: attempts, failedAttemptTokens: spent)
                } catch let failure as AttemptFailure {
                    spent.add(failure.tokens)
                    last = failure
                    guard failure.isRetryable else {
                        throw Failure(last: failure, attempts: attempts, modelsTried: tried, failedAttemptTokens: spent)
                    }
                    guard retry < self.maxRetries else { break }
                    let wait = self.delay(beforeRetry: retry, after: failure)
                    self.logger.notice(
                        "LLM attempt failed; retrying",
                        metadata: [
                            "mcpa.llm.model": "\(model)", "mcpa.llm.attempt": "\(attempts)",
                            "mcpa.llm.reason": "\(failure.reason)", "mcpa.llm.wait_ms": "\(wait.wholeMilliseconds)",
                        ]
                    )
                    try await Task.sleep(for: wait)
                }
            }
        }
        let failure =
            last ?? AttemptFailure(kind: .connection, reason: "no model configured")
        throw Failure(last: failure, attempts: attempts, modelsTried: tried, failedAttemptTokens: spent)
    }

    /// The provider's `Retry-After` (capped) when it sent one, else full jitter:
    /// a uniformly random wait in `0...min(cap, base·2^retry)`.
    func delay(beforeRetry retry: Int, after failure: AttemptFailure) -> Duration {
        if let requested = failure.retryAfter {
            return min(requested, self.retryAfterCap)
        }
        let exponential = self.backoffBase.inSeconds * Double(1 << min(retry, 30))
        let ceiling = min(self.backoffCap.inSeconds, exponential)
        guard ceiling > 0 else { return .zero }
        return .microseconds(Int64(Double.random(in: 0...ceiling) * 1_000_000))
    }
}
