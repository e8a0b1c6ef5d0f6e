/// The one error type that crosses module boundaries and reaches clients.
///
/// Every failure a client can see is an `AnalyticsError`: a stable ``code`` to branch on, a
/// human-readable ``message`` saying what went wrong, and a ``hint`` saying what to do instead.
/// Raw driver errors are logged where they happen and converted into one of these, so database
/// internals (and any secret inside them) never leave the server.
public struct AnalyticsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: ErrorCode
    public var message: String
    public var hint: String?
    /// Structured extras a client can act on, e.g. the allowed lifecycle targets or valid persona values.
    public var details: JSONValue?

    public init(_ code: ErrorCode, _ message: String, hint: String? = nil, details: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
        self.details = details
    }

    public var description: String { "\(self.code.rawValue): \(self.message)" }

    /// The wire body: `{"error": {"code", "message", "hint", "details"?}}`.
    public var body: JSONValue {
        var error: [String: JSONValue] = [
            "code": .string(self.code.rawValue),
            "message": .string(self.message),
            "hint": self.hint.map(JSONValue.string) ?? .null,
        ]
        if let details { error["details"] = details }
        return .object(["error": .object(error)])
    }
}

extension AnalyticsError {
    /// The HTTP status that fits the code; REST and the MCP HTTP transport both use it. Every code
    /// is listed: a new code does not compile until it is given a status here.
    public var httpStatus: Int {
        switch self.code {
        case .invalidRequest, .malformedJSON, .invalidConnectionURL, .sqlParseError, .sqlNotReadOnly,
            .sqlMultipleStatements, .sqlForbiddenFunction, .sqlForbiddenRelation, .sqlEmpty, .planTooLarge, .unknownPersona,
            .ambiguousPersona, .unweightedAggregate, .invalidWeightingConfig, .weightingNotConfigured,
            .resultTooLarge, .queryFailed:
            400
        case .unauthenticated: 401
        case .accessDenied, .selfApprovalRefused, .forbiddenHost: 403
        case .notFound, .datasetNotFound, .tokenNotFound, .userNotFound, .grantNotFound, .jobNotFound, .profileNotFound,
            .reviewItemNotFound:
            404
        case .conflict, .datasetExists, .invalidTransition, .datasetNotActive: 409
        case .unsupportedMediaType: 415
        case .connectionFailed, .privilegedLogin: 422
        case .rateLimited: 429
        // Server-side faults, including a model's unusable answer, a failed demo load and a query
        // cancelled under the caller (whose connection is usually gone by then).
        case .internalError, .invalidConfiguration, .secretKeyMissing, .secretKeyInvalid, .secretUnreadable, .llmInvalidOutput,
            .demoDataFailed, .queryCancelled:
            500
        case .datasetUnavailable, .storeUnavailable, .llmUnavailable: 503
        case .queryTimeout: 504
        }
    }

    public static func internalError(_ message: String = "The server failed to complete the request.") -> AnalyticsError {
        AnalyticsError(.internalError, message, hint: "Retry; if it persists, check the server log for the request id.")
    }

    public static func invalidRequest(_ message: String, hint: String? = nil) -> AnalyticsError {
        AnalyticsError(.invalidRequest, message, hint: hint)
    }

    public static func datasetNotFound(_ id: String) -> AnalyticsError {
        AnalyticsError(.datasetNotFound, "No dataset with id '\(id)'.", hint: "List datasets to see the valid ids.")
    }
}
