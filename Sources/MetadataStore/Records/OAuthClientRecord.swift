import Foundation

/// An OAuth client the authorization server knows: registered dynamically (RFC 7591), described by a
/// Client ID Metadata Document fetched from its `client_id` URL, or pinned in configuration.
public struct OAuthClientRecord: Sendable, Hashable, Encodable {
    public enum Kind: String, Sendable, Codable, Hashable {
        /// `POST /oauth/register`; the client id is random and the redirect URIs passed the allow-list.
        case dynamic
        /// A Client ID Metadata Document fetched from the HTTPS `client_id`; its domain is verified.
        case metadataDocument = "metadata_document"
        /// A metadata document pinned in configuration (no fetch); verified like a fetched one.
        case pinned
    }

    public var id: String
    public var kind: Kind
    public var name: String
    public var redirectURIs: [String]
    /// `none`, `client_secret_post` or `client_secret_basic`.
    public var tokenEndpointAuthMethod: String
    /// SHA-256 of the client secret for confidential dynamic clients; never the secret.
    public var secretHash: String?
    public var clientURI: String?
    public var createdAt: Date
    /// When the metadata document was last fetched (metadata documents only).
    public var fetchedAt: Date?

    public init(
        id: String,
        kind: Kind,
        name: String,
        redirectURIs: [String],
        tokenEndpointAuthMethod: String = "none",
        secretHash: String? = nil,
        clientURI: String? = nil,
        createdAt: Date,
        fetchedAt: Date? = nil
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.redirectURIs = redirectURIs
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.secretHash = secretHash
        self.clientURI = clientURI
        self.createdAt = createdAt
        self.fetchedAt = fetchedAt
    }

    /// Whether the client's identity is tied to a domain it controls (shown on the consent page).
    public var isVerified: Bool { self.kind != .dynamic }

    enum CodingKeys: String, CodingKey {
        case id = "client_id"
        case kind, name
        case redirectURIs = "redirect_uris"
        case tokenEndpointAuthMethod = "token_endpoint_auth_method"
        case clientURI = "client_uri"
        case createdAt = "created_at"
        case fetchedAt = "fetched_at"
        case verified
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.kind, forKey: .kind)
        try container.encode(self.name, forKey: .name)
        try container.encode(self.redirectURIs, forKey: .redirectURIs)
        try container.encode(self.tokenEndpointAuthMethod, forKey: .tokenEndpointAuthMethod)
        try container.encode(self.clientURI, forKey: .clientURI)
        try container.encode(self.createdAt, forKey: .createdAt)
        try container.encode(self.fetchedAt, forKey: .fetchedAt)
        try container.encode(self.isVerified, forKey: .verified)
    }
}
