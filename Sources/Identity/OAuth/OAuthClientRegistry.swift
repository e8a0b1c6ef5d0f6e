import AnalyticsCore
import Crypto
import Foundation
import Logging
import MetadataStore

/// Knows the OAuth clients: dynamically registered ones from the store, pinned metadata documents
/// from configuration, and metadata documents fetched from their `client_id` URL (cached in the store
/// for an hour).
public struct OAuthClientRegistry: Sendable {
    let store: any IdentityStore
    let settings: OAuthSettings
    let fetcher: ClientMetadataFetcher
    let logger: Logger

    static let documentMaxAge: TimeInterval = 3_600

    public init(store: any IdentityStore, settings: OAuthSettings, fetcher: ClientMetadataFetcher, logger: Logger) {
        self.store = store
        self.settings = settings
        self.fetcher = fetcher
        self.logger = logger
    }

    /// Whether a `client_id` names a metadata document (an absolute http(s) URL) rather than a
    /// registered id.
    static func isDocumentURL(_ clientID: String) -> Bool {
        clientID.hasPrefix("https://") || clientID.hasPrefix("http://")
    }

    /// The client for `clientID`, fetching or refreshing its metadata document when it is a URL.
    /// Throws `invalid_client` for an unknown id or an unusable document.
    public func client(id clientID: String) async throws(OAuthError) -> OAuthClientRecord {
        guard !clientID.isEmpty, clientID.count <= 2_048 else { throw OAuthError.invalidClient("Unknown client_id.") }
        let stored: OAuthClientRecord?
        do {
            stored = try await self.store.oauthClient(id: clientID)
        } catch {
            throw OAuthError.serverError()
        }
        if let pinned = self.settings.pinnedClientDocuments[clientID] {
            let record = try Self.record(fromDocument: pinned, url: clientID, kind: .pinned, createdAt: stored?.createdAt)
            if stored != record { try await self.save(record) }
            return record
        }
        guard Self.isDocumentURL(clientID) else {
            guard let stored, stored.kind == .dynamic else { throw OAuthError.invalidClient("Unknown client_id.") }
            return stored
        }
        if let stored, stored.kind == .metadataDocument, let fetched = stored.fetchedAt,
            Date().timeIntervalSince(fetched) < Self.documentMaxAge
        {
            return stored
        }
        let document = try await self.fetcher.fetch(clientID)
        var record = try Self.record(fromDocument: document, url: clientID, kind: .metadataDocument, createdAt: stored?.createdAt)
        record.fetchedAt = Date()
        try await self.save(record)
        return record
    }

    /// Dynamic Client Registration (RFC 7591): validates the metadata, checks every redirect URI
    /// against the allow-list, and stores the client. Returns the record, the client secret for
    /// confidential clients (shown once) and the registration response.
    public func register(_ metadata: JSONValue) async throws(OAuthError) -> (record: OAuthClientRecord, response: JSONValue) {
        guard let object = metadata.objectValue else { throw Self.invalidMetadata("The registration body must be a JSON object.") }
        guard let uris = object["redirect_uris"]?.arrayValue, !uris.isEmpty, uris.count <= 10 else {
            throw OAuthError("invalid_redirect_uri", "redirect_uris must list 1–10 redirect URIs.")
        }
        let allowlist = RedirectAllowlist(self.settings.redirectAllowlist)
        var redirects: [String] = []
        for uri in uris {
            guard let text = uri.stringValue, text.count <= 2_048, allowlist.allows(text) else {
                throw OAuthError(
                    "invalid_redirect_uri",
                    "Redirect URI '\(uri.stringValue ?? "?")' is not on this server's allow-list.",
                )
            }
            redirects.append(text)
        }
        let method = object["token_endpoint_auth_method"]?.stringValue ?? "none"
        guard ["none", "client_secret_post", "client_secret_basic"].contains(method) else {
            throw Self.invalidMetadata("token_endpoint_auth_method must be none, client_secret_post or client_secret_basic.")
        }
        if let grants = object["grant_types"]?.arrayValue {
            let names = grants.compactMap(\.stringValue)
            guard names.count == grants.count, Set(names).isSubset(of: ["authorization_code", "refresh_token"]) else {
                throw Self.invalidMetadata("grant_types may hold only authorization_code and refresh_token.")
            }
        }
        if let types = object["response_types"]?.arrayValue, types.compactMap(\.stringValue) != ["code"] {
            throw Self.invalidMetadata("response_types must be [\"code\"].")
        }
        let scope = try Self.scopes(object["scope"]?.stringValue)
        let name = String((object["client_name"]?.stringValue ?? "Unnamed client").prefix(200))
        let secret = method == "none" ? nil : OAuthSecrets.generate(prefix: OAuthSecrets.clientSecretPrefix)
        let record = OAuthClientRecord(
            id: "mcpc_" + OAuthSecrets.randomBase64URL(bytes: 16),
            kind: .dynamic,
            name: name,
            redirectURIs: redirects,
            tokenEndpointAuthMethod: method,
            secretHash: secret.map(TokenIssuer.hash),
            clientURI: object["client_uri"]?.stringValue.map { String($0.prefix(2_048)) },
            createdAt: Date()
        )
        try await self.save(record)
        self.logger.info("OAuth client registered", metadata: ["mcpa.oauth.client": "\(record.id)", "mcpa.oauth.client_name": "\(name)"])
        var response: [String: JSONValue] = [
            "client_id": .string(record.id),
            "client_id_issued_at": .int(Int64(record.createdAt.timeIntervalSince1970)),
            "client_name": .string(name),
            "redirect_uris": .array(redirects.map(JSONValue.string)),
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "token_endpoint_auth_method": .string(method),
            "scope": .string(scope.joined(separator: " ")),
        ]
        if let secret {
            response["client_secret"] = .string(secret)
            response["client_secret_expires_at"] = 0
        }
        return (record, .object(response))
    }

    /// Requested scopes: known ones only; none asked means every scope.
    static func scopes(_ text: String?) throws(OAuthError) -> [String] {
        let asked = (text ?? "").split(separator: " ").map(String.init)
        guard !asked.isEmpty else { return OAuthScope.all }
        let unknown = asked.filter { !OAuthScope.all.contains($0) }
        guard unknown.isEmpty else {
            throw OAuthError.invalidScope("Unknown scope '\(unknown[0])'. Supported: \(OAuthScope.all.joined(separator: " ")).")
        }
        return OAuthScope.all.filter(asked.contains)
    }

    /// A client record from a metadata document, which must name itself: its `client_id` equals the
    /// URL it was fetched from (or pinned under).
    static func record(
        fromDocument document: JSONValue,
        url: String,
        kind: OAuthClientRecord.Kind,
        createdAt: Date?
    ) throws(OAuthError)
        -> OAuthClientRecord
    {
        guard let object = document.objectValue else { throw ClientMetadataFetcher.refused("The client metadata document is not a JSON object.") }
        guard object["client_id"]?.stringValue == url else {
            throw ClientMetadataFetcher.refused("The client metadata document's client_id does not equal its URL.")
        }
        guard let uris = object["redirect_uris"]?.arrayValue, !uris.isEmpty, uris.count <= 20 else {
            throw ClientMetadataFetcher.refused("The client metadata document lists no redirect_uris.")
        }
        let redirects = uris.compactMap(\.stringValue)
        guard redirects.count == uris.count, redirects.allSatisfy({ URLComponents(string: $0)?.host != nil }) else {
            throw ClientMetadataFetcher.refused("The client metadata document has an invalid redirect URI.")
        }
        let method = object["token_endpoint_auth_method"]?.stringValue ?? "none"
        guard method == "none" else {
            throw ClientMetadataFetcher.refused("Metadata-document clients must be public (token_endpoint_auth_method none).")
        }
        let host = URLComponents(string: url)?.host ?? url
        return OAuthClientRecord(
            id: url,
            kind: kind,
            name: String((object["client_name"]?.stringValue ?? host).prefix(200)),
            redirectURIs: redirects,
            tokenEndpointAuthMethod: "none",
            clientURI: object["client_uri"]?.stringValue,
            createdAt: createdAt ?? Date()
        )
    }

    func save(_ record: OAuthClientRecord) async throws(OAuthError) {
        do {
            try await self.store.saveOAuthClient(record)
        } catch {
            self.logger.error("cannot store OAuth client", metadata: ["mcpa.error.type": "\(type(of: error))"])
            throw OAuthError.serverError()
        }
    }

    static func invalidMetadata(_ description: String) -> OAuthError {
        OAuthError("invalid_client_metadata", description)
    }
}
