import AnalyticsCore

/// How a job's error is recorded and whether the job is tried again.
///
/// Transient conditions (a dataset, the store or the language model unreachable, timeouts) are
/// retried with backoff; errors that another attempt cannot fix (an unknown dataset, a missing
/// profile, a model answer that stayed malformed after the client's own retries, a refused
/// transition) end the job at once with a clear error.
public struct JobFailure: Sendable, Hashable {
    public var code: ErrorCode
    /// `CODE: message` and the hint, as stored in the job's `error`.
    public var text: String
    public var retryable: Bool

    static let retryableCodes: Set<ErrorCode> = [
        .datasetUnavailable, .storeUnavailable, .llmUnavailable, .queryTimeout, .queryFailed, .queryCancelled,
        .connectionFailed, .rateLimited, .internalError,
    ]

    public init(_ error: any Error) {
        if let error = error as? AnalyticsError {
            self.code = error.code
            self.text = "\(error.code.rawValue): \(error.message)" + (error.hint.map { " Hint: \($0)" } ?? "")
            self.retryable = Self.retryableCodes.contains(error.code)
        } else {
            self.code = .internalError
            self.text = "INTERNAL_ERROR: The job failed unexpectedly; the server log has the details."
            self.retryable = true
        }
    }
}
