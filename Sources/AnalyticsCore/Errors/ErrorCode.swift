/// A stable, machine-readable error code.
///
/// Clients, scripts and tests branch on these strings, so a code never changes meaning once shipped.
/// New codes are added as static members; the raw value is what goes on the wire.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { self.rawValue }

    // Request and auth.
    public static let invalidRequest = ErrorCode("INVALID_REQUEST")
    public static let malformedJSON = ErrorCode("MALFORMED_JSON")
    public static let notFound = ErrorCode("NOT_FOUND")
    public static let unauthenticated = ErrorCode("UNAUTHENTICATED")
    public static let accessDenied = ErrorCode("ACCESS_DENIED")
    public static let rateLimited = ErrorCode("RATE_LIMITED")
    public static let conflict = ErrorCode("CONFLICT")
    public static let internalError = ErrorCode("INTERNAL_ERROR")
    public static let storeUnavailable = ErrorCode("STORE_UNAVAILABLE")
    /// A setting (environment variable, flag, config file) is malformed; raised at start-up.
    public static let invalidConfiguration = ErrorCode("INVALID_CONFIGURATION")

    // Datasets and lifecycle.
    public static let datasetNotFound = ErrorCode("DATASET_NOT_FOUND")
    public static let datasetExists = ErrorCode("DATASET_EXISTS")
    public static let datasetUnavailable = ErrorCode("DATASET_UNAVAILABLE")
    public static let datasetNotActive = ErrorCode("DATASET_NOT_ACTIVE")
    public static let invalidTransition = ErrorCode("INVALID_TRANSITION")
    public static let invalidConnectionURL = ErrorCode("INVALID_CONNECTION_URL")
    public static let connectionFailed = ErrorCode("CONNECTION_FAILED")
    public static let tokenNotFound = ErrorCode("TOKEN_NOT_FOUND")
    /// No user with the given id or email.
    public static let userNotFound = ErrorCode("USER_NOT_FOUND")
    /// No OAuth grant with the given id (or not one the caller may see).
    public static let grantNotFound = ErrorCode("GRANT_NOT_FOUND")
    /// A request body with a media type other than the one the route reads.
    public static let unsupportedMediaType = ErrorCode("UNSUPPORTED_MEDIA_TYPE")
    /// The Host or Origin of a request is not one this server answers (DNS-rebinding protection).
    public static let forbiddenHost = ErrorCode("FORBIDDEN_HOST")
    public static let jobNotFound = ErrorCode("JOB_NOT_FOUND")
    /// The dataset has no profile snapshot (or not the version asked for).
    public static let profileNotFound = ErrorCode("PROFILE_NOT_FOUND")

    // SQL and execution.
    public static let sqlParseError = ErrorCode("SQL_PARSE_ERROR")
    public static let sqlNotReadOnly = ErrorCode("SQL_NOT_READ_ONLY")
    public static let sqlMultipleStatements = ErrorCode("SQL_MULTIPLE_STATEMENTS")
    public static let sqlForbiddenFunction = ErrorCode("SQL_FORBIDDEN_FUNCTION")
    public static let sqlEmpty = ErrorCode("SQL_EMPTY")
    public static let queryTimeout = ErrorCode("QUERY_TIMEOUT")
    public static let queryFailed = ErrorCode("QUERY_FAILED")
    public static let queryCancelled = ErrorCode("QUERY_CANCELLED")
    public static let resultTooLarge = ErrorCode("RESULT_TOO_LARGE")
    public static let planTooLarge = ErrorCode("PLAN_TOO_LARGE")

    // Weighting and personas.
    public static let unknownPersona = ErrorCode("UNKNOWN_PERSONA")
    public static let ambiguousPersona = ErrorCode("AMBIGUOUS_PERSONA")
    public static let unweightedAggregate = ErrorCode("UNWEIGHTED_AGGREGATE")
    public static let weightingNotConfigured = ErrorCode("WEIGHTING_NOT_CONFIGURED")
    public static let invalidWeightingConfig = ErrorCode("INVALID_WEIGHTING_CONFIG")

    // Onboarding and LLM.
    public static let llmUnavailable = ErrorCode("LLM_UNAVAILABLE")
    public static let llmInvalidOutput = ErrorCode("LLM_INVALID_OUTPUT")
    public static let selfApprovalRefused = ErrorCode("SELF_APPROVAL_REFUSED")
    /// No review item with the given id.
    public static let reviewItemNotFound = ErrorCode("REVIEW_ITEM_NOT_FOUND")

    // Secrets.
    /// A secret was sealed under a key id the keyring does not hold.
    public static let secretKeyMissing = ErrorCode("SECRET_KEY_MISSING")
    /// The configured secret key (environment or key file) is malformed or unsafe.
    public static let secretKeyInvalid = ErrorCode("SECRET_KEY_INVALID")
    /// A ciphertext failed authentication: corrupted, or sealed under different key bytes.
    public static let secretUnreadable = ErrorCode("SECRET_UNREADABLE")

    // Demo data.
    /// Writing or loading the synthetic demo panel failed (disk, permissions, database error).
    public static let demoDataFailed = ErrorCode("DEMO_DATA_FAILED")
}
