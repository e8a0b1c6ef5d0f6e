import Foundation
import MetadataStore

/// A validated authorization request (`/oauth/authorize`): everything the consent page shows and
/// carries, and what the code will be bound to.
public struct AuthorizationRequest: Sendable, Equatable {
    public var client: OAuthClientRecord
    public var redirectURI: String
    public var state: String
    public var codeChallenge: String
    public var scopes: [String]
    public var resource: String

    /// The form fields that carry the request through the login and consent pages; posting them
    /// back validates them again from scratch.
    public var fields: [(String, String)] {
        [
            ("response_type", "code"),
            ("client_id", self.client.id),
            ("redirect_uri", self.redirectURI),
            ("state", self.state),
            ("code_challenge", self.codeChallenge),
            ("code_challenge_method", "S256"),
            ("scope", self.scopes.joined(separator: " ")),
            ("resource", self.resource),
        ]
    }

    public static func == (lhs: AuthorizationRequest, rhs: AuthorizationRequest) -> Bool {
        lhs.client == rhs.client && lhs.redirectURI == rhs.redirectURI && lhs.state == rhs.state
            && lhs.codeChallenge == rhs.codeChallenge && lhs.scopes == rhs.scopes && lhs.resource == rhs.resource
    }

    /// The host the browser will be sent back to, for the consent page.
    public var redirectHost: String {
        URLComponents(string: self.redirectURI)?.host ?? self.redirectURI
    }

    /// `redirect_uri` with the response parameters appended (RFC 6749 §4.1.2, RFC 9207 `iss`).
    public static func redirect(_ uri: String, with parameters: [(String, String)]) -> String {
        guard var components = URLComponents(string: uri) else { return uri }
        var items = components.queryItems ?? []
        items.append(contentsOf: parameters.map { URLQueryItem(name: $0.0, value: $0.1) })
        components.percentEncodedQuery = items.map { item in
            "\(Self.encode(item.name))=\(Self.encode(item.value ?? ""))"
        }.joined(separator: "&")
        return components.string ?? uri
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Why an authorization request failed, and how to tell the user agent: on an error page when the
/// client or redirect URI cannot be trusted, otherwise by redirecting back to the client.
public enum AuthorizationFailure: Error, Sendable {
    case page(OAuthError)
    case redirect(String)
}
