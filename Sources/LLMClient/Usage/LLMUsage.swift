import AnalyticsCore
import Foundation

/// What one client call cost: tokens, time and attempts.
///
/// Tokens are summed over every attempt that reported usage, including answers that were
/// rejected as malformed, because the provider bills those too.
public struct LLMUsage: Sendable, Hashable {
    public enum Operation: String, Sendable, Hashable {
        case chat
        case embeddings
    }

    public var operation: Operation
    /// The caller's label from ``ChatRequest/purpose``.
    public var purpose: String?
    /// The model of the final attempt (the fallback model when it was used).
    public var model: String
    public var usedFallback: Bool
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int
    /// From the call's start to its end, backoff waits included.
    public var latency: Duration
    /// HTTP attempts made, over all models (and all batches for embeddings).
    public var attempts: Int
    /// `nil` when the call succeeded, else the code of the error it threw.
    public var errorCode: ErrorCode?
    public var startedAt: Date

    public init(
        operation: Operation,
        purpose: String? = nil,
        model: String,
        usedFallback: Bool = false,
        promptTokens: Int = 0,
        completionTokens: Int = 0,
        totalTokens: Int = 0,
        latency: Duration = .zero,
        attempts: Int = 0,
        errorCode: ErrorCode? = nil,
        startedAt: Date = Date()
    ) {
        self.operation = operation
        self.purpose = purpose
        self.model = model
        self.usedFallback = usedFallback
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens
        self.latency = latency
        self.attempts = attempts
        self.errorCode = errorCode
        self.startedAt = startedAt
    }

    public var succeeded: Bool { self.errorCode == nil }

    /// ``latency`` in milliseconds, the unit the query log and metrics use.
    public var latencyMilliseconds: Double {
        self.latency.inMilliseconds
    }
}
