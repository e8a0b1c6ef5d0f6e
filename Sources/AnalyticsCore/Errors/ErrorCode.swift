/// A stable, machine-readable error code.
///
/// Clients, scripts and tests branch on these strings, so a code never changes meaning once shipped.
/// The set is closed (as PostgresNIO's `PSQLError.Code` is): a new code is a new case here, and the
/// compiler then asks for its HTTP status in ``AnalyticsError/httpStatus``. The raw value is what goes
/// on the wire.
public enum ErrorCode: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    public var description: String { self.rawValue }

    // Request and auth.
    case invalidRequest = "INVALID_REQUEST"
    case malformedJSON = "MALFORMED_JSON"
    case notFound = "NOT_FOUND"
    case unauthenticated = "UNAUTHENTICATED"
    case accessDenied = "ACCESS_DENIED"
    case rateLimited = "RATE_LIMITED"
    case conflict = "CONFLICT"
    case internalError = "INTERNAL_ERROR"
    case storeUnavailable = "STORE_UNAVAILABLE"
    /// A setting (environment variable, flag, config file) is malformed; raised at start-up.
    case invalidConfiguration = "INVALID_CONFIGURATION"

    // Datasets and lifecycle.
    case datasetNotFound = "DATASET_NOT_FOUND"
    case datasetExists = "DATASET_EXISTS"
    case datasetUnavailable = "DATASET_UNAVAILABLE"
    case datasetNotActive = "DATASET_NOT_ACTIVE"
    case invalidTransition = "INVALID_TRANSITION"
    case invalidConnectionURL = "INVALID_CONNECTION_URL"
    case connectionFailed = "CONNECTION_FAILED"
    /// The dataset login can do more than read (superuser, write or create rights) and the server
    /// was told to refuse such logins (`--refuse-privileged-logins`).
    case privilegedLogin = "PRIVILEGED_LOGIN"
    case tokenNotFound = "TOKEN_NOT_FOUND"
    /// No user with the given id or email.
    case userNotFound = "USER_NOT_FOUND"
    /// No OAuth grant with the given id (or not one the caller may see).
    case grantNotFound = "GRANT_NOT_FOUND"
    /// A request body with a media type other than the one the route reads.
    case unsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
    /// The Host or Origin of a request is not one this server answers (DNS-rebinding protection).
    case forbiddenHost = "FORBIDDEN_HOST"
    case jobNotFound = "JOB_NOT_FOUND"
    /// The dataset has no profile snapshot (or not the version asked for).
    case profileNotFound = "PROFILE_NOT_FOUND"

    // SQL and execution.
    case sqlParseError = "SQL_PARSE_ERROR"
    case sqlNotReadOnly = "SQL_NOT_READ_ONLY"
    case sqlMultipleStatements = "SQL_MULTIPLE_STATEMENTS"
    case sqlForbiddenFunction = "SQL_FORBIDDEN_FUNCTION"
    /// The statement reads a system catalog or view that holds secrets, server files or other
    /// sessions' statements (`pg_authid`, `pg_hba_file_rules`, `pg_stat_activity`, …).
    case sqlForbiddenRelation = "SQL_FORBIDDEN_RELATION"
    case sqlEmpty = "SQL_EMPTY"
    case queryTimeout = "QUERY_TIMEOUT"
    case queryFailed = "QUERY_FAILED"
    case queryCancelled = "QUERY_CANCELLED"
    case resultTooLarge = "RESULT_TOO_LARGE"
    case planTooLarge = "PLAN_TOO_LARGE"

    // Weighting and personas.
    case unknownPersona = "UNKNOWN_PERSONA"
    case ambiguousPersona = "AMBIGUOUS_PERSONA"
    case unweightedAggregate = "UNWEIGHTED_AGGREGATE"
    case weightingNotConfigured = "WEIGHTING_NOT_CONFIGURED"
    case invalidWeightingConfig = "INVALID_WEIGHTING_CONFIG"

    // Onboarding and LLM.
    case llmUnavailable = "LLM_UNAVAILABLE"
    case llmInvalidOutput = "LLM_INVALID_OUTPUT"
    case selfApprovalRefused = "SELF_APPROVAL_REFUSED"
    /// No review item with the given id.
    case reviewItemNotFound = "REVIEW_ITEM_NOT_FOUND"

    // Secrets.
    /// A secret was sealed under a key id the keyring does not hold.
    case secretKeyMissing = "SECRET_KEY_MISSING"
    /// The configured secret key (environment or key file) is malformed or unsafe.
    case secretKeyInvalid = "SECRET_KEY_INVALID"
    /// A ciphertext failed authentication: corrupted, or sealed under different key bytes.
    case secretUnreadable = "SECRET_UNREADABLE"

    // Demo data.
    /// Writing or loading the synthetic demo panel failed (disk, permissions, database error).
    case demoDataFailed = "DEMO_DATA_FAILED"
}
