import AnalyticsCore
import Foundation

/// The cost of one language-model call, kept for audit and cost attribution (per dataset and job).
public struct LLMUsageRecord: Sendable, Codable, Hashable {
    public var id: String
    public var at: Date
    public var datasetID: String?
    public var jobID: String?
    /// `chat` or `embeddings`.
    public var operation: String
    /// The caller's label, e.g. `metadata_draft`.
    public var purpose: String?
    public var model: String
    public var usedFallback: Bool
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int
    public var latencyMs: Double
    public var attempts: Int
    /// The error code when the call failed.
    public var errorCode: String?

    public init(
        id: String = UUID().uuidString.lowercased(),
        at: Date = Date(),
        datasetID: String? = nil,
        jobID: String? = nil,
        operation: String,
        purpose: String? = nil,
        model: String,
        usedFallback: Bool = false,
        promptTokens: Int = 0,
        completionTokens: Int = 0,
        totalTokens: Int = 0,
        latencyMs: Double = 0,
        attempts: Int = 0,
        errorCode: String? = nil
    ) {
        self.id = id
        self.at = at
        self.datasetID = datasetID
        self.jobID = jobID
        self.operation = operation
        self.purpose = purpose
        self.model = model
        self.usedFallback = usedFallback
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens
        self.latencyMs = latencyMs
        self.attempts = attempts
        self.errorCode = errorCode
    }

    enum CodingKeys: String, CodingKey {
        case id, at, operation, purpose, model, attempts
        case datasetID = "dataset_id"
        case jobID = "job_id"
        case usedFallback = "used_fallback"
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
        case latencyMs = "latency_ms"
        case errorCode = "error_code"
    }
}
