import AnalyticsCore
import Foundation

/// An OAuth protocol error (RFC 6749 §5.2, RFC 7591 §3.2.2): the registered `error` string, a
/// description for developers, and the HTTP status the endpoint answers with.
public struct OAuthError: Error, Sendable, Equatable {
    public var error: String
    public var description: String
    public var status: Int

    public init(_ error: String, _ description: String, status: Int = 400) {
        self.error = error
        self.description = description
        self.status = status
    }

    /// `{"error": …, "error_description": …}`.
    public var body: JSONValue {
        ["error": .string(self.error), "error_description": .string(self.description)]
    }

    public static func invalidRequest(_ description: String) -> OAuthError { OAuthError("invalid_request", description) }
    public static func invalidGrant(_ description: String) -> OAuthError { OAuthError("invalid_grant", description) }
    public static func invalidClient(_ description: String) -> OAuthError { OAuthError("invalid_client", description, status: 401) }
    public static func invalidTarget(_ description: String) -> OAuthError { OAuthError("invalid_target", description) }
    public static func invalidScope(_ description: String) -> OAuthError { OAuthError("invalid_scope", description) }
    public static func serverError() -> OAuthError {
        OAuthError("server_error", "The authorization server failed; retry later.", status: 500)
    }
}
