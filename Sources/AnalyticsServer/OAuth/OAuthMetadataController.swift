import AnalyticsCore
import Hummingbird
import Identity

/// The discovery documents connectors read before signing in: Protected Resource Metadata (RFC 9728)
/// and Authorization Server Metadata (RFC 8414), each at the paths clients probe.
struct OAuthMetadataController {
    let configuration: ServerConfiguration

    static let resourcePaths = ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"]
    static let serverPaths = ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"]

    func addRoutes(to builder: RouteBuilder) {
        for path in Self.resourcePaths {
            builder.on(.get, path) { request, _ in
                let endpoints = self.configuration.oauthEndpoints(requestHost: request.head.authority)
                return try Self.document(Self.resourceMetadata(endpoints))
            }
        }
        for path in Self.serverPaths {
            builder.on(.get, path) { request, _ in
                let endpoints = self.configuration.oauthEndpoints(requestHost: request.head.authority)
                return try Self.document(Self.serverMetadata(endpoints))
            }
        }
    }

    static func resourceMetadata(_ endpoints: OAuthEndpoints) -> JSONValue {
        [
            "resource": .string(endpoints.resource),
            "authorization_servers": [.string(endpoints.issuer)],
            "scopes_supported": .array(OAuthScope.all.map(JSONValue.string)),
            "bearer_methods_supported": ["header"],
            "resource_name": "MCP Analytics",
        ]
    }

    static func serverMetadata(_ endpoints: OAuthEndpoints) -> JSONValue {
        [
            "issuer": .string(endpoints.issuer),
            "authorization_endpoint": .string(endpoints.authorization),
            "token_endpoint": .string(endpoints.token),
            "registration_endpoint": .string(endpoints.registration),
            "revocation_endpoint": .string(endpoints.revocation),
            "scopes_supported": .array(OAuthScope.all.map(JSONValue.string)),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["none", "client_secret_post", "client_secret_basic"],
            "revocation_endpoint_auth_methods_supported": ["none", "client_secret_post", "client_secret_basic"],
            "client_id_metadata_document_supported": true,
            "authorization_response_iss_parameter_supported": true,
        ]
    }

    static func document(_ value: JSONValue) throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json", .cacheControl: "public, max-age=300"],
            body: .init(byteBuffer: ByteBuffer(bytes: value.serializedData()))
        )
    }
}
