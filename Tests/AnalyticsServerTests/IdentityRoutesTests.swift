import AnalyticsCore
import AnalyticsServer
import Foundation
import HTTPTypes
import Identity
import MetadataStore
import TestSupport
import Testing

/// Users, OAuth discovery and the hardening around them, through the real server on loopback.
@Suite("Identity routes: discovery, scopes, grants, four-eyes by user, content types")
struct IdentityRoutesTests {
    static let publicURL = "https://analytics.example.com"

    static func withUser(_ app: TestApp, email: String, role: Role) async throws -> User {
        try await StoreSession.with(url: app.storeURL, logger: app.logs.logger(label: "test")) { store in
            try await UserService(store: store, hasher: PasswordHasher(cost: 4), logger: app.logs.logger(label: "test"))
                .create(email: email, displayName: email, role: role, password: nil)
        }
    }

    @Test("/mcp without a token answers 401 with a challenge naming the resource metadata; the documents agree")
    func discovery() async throws {
        try await TestApp.run(.sqlite, configure: { $0.oauth.publicURL = Self.publicURL }) { app in
            let refused = try await app.request(.post, "/mcp", as: nil, body: #"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#)
            #expect(refused.status == .unauthorized)
            let challenge = try #require(refused.headers[.wwwAuthenticate])
            #expect(challenge.hasPrefix("Bearer "))
            #expect(challenge.contains(#"resource_metadata="https://analytics.example.com/.well-known/oauth-protected-resource/mcp""#))
            #expect(challenge.contains(#"scope="analytics:read analytics:query""#))
            let bad = try await app.request(.post, "/mcp", as: nil, rawAuthorization: "Bearer mcpat_forged", body: "{}")
            #expect(bad.status == .unauthorized)
            #expect(bad.headers[.wwwAuthenticate]?.contains(#"error="invalid_token""#) == true)

            let prm = try await app.request(.get, "/.well-known/oauth-protected-resource/mcp", as: nil)
            let root = try await app.request(.get, "/.well-known/oauth-protected-resource", as: nil)
            #expect(prm.json?["resource"] == "https://analytics.example.com/mcp")
            #expect(prm.json?["authorization_servers"] == ["https://analytics.example.com"])
            #expect(prm.json?["bearer_methods_supported"] == ["header"])
            #expect(prm.json == root.json)
            let metadata = try await app.request(.get, "/.well-known/oauth-authorization-server", as: nil)
            #expect(metadata.json?["issuer"] == "https://analytics.example.com")
            #expect(metadata.json?["token_endpoint"] == "https://analytics.example.com/oauth/token")
            #expect(metadata.json?["code_challenge_methods_supported"] == ["S256"])
            #expect(metadata.json?["client_id_metadata_document_supported"] == true)
            #expect(metadata.json?["authorization_response_iss_parameter_supported"] == true)
            #expect(metadata.json?["token_endpoint_auth_methods_supported"]?.arrayValue?.contains("none") == true)
            #expect(metadata.headers[.accessControlAllowOrigin] == "*")
            #expect(try await app.request(.get, "/.well-known/openid-configuration", as: nil).json == metadata.json)

            let preflight = try await app.request(.options, "/oauth/token", as: nil, headers: [.origin: "https://claude.ai"])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "*")
        }
    }

    @Test("an OAuth token without analytics:query may list tools but gets 403 insufficient_scope on execute_sql")
    func insufficientScope() async throws {
        try await TestApp.run(.sqlite, demo: true, configure: { $0.oauth.publicURL = Self.publicURL }) { app in
            let user = try await Self.withUser(app, email: "reader@example.com", role: .analyst)
            let token = "mcpat_" + UUID().uuidString
            try await StoreSession.with(url: app.storeURL, logger: app.logs.logger(label: "test")) { store in
                let now = Date()
                let grant = OAuthGrant(
                    id: "g-read",
                    userID: user.id,
                    clientID: "mcpc_test",
                    scopes: [OAuthScope.read],
                    resource: Self.publicURL + "/mcp",
                    createdAt: now
                )
                try await store.createAuthorizationCode(
                    OAuthCodeRecord(
                        hash: "code",
                        clientID: "mcpc_test",
                        userID: user.id,
                        redirectURI: "http://127.0.0.1/cb",
                        codeChallenge: "x",
                        scopes: grant.scopes,
                        resource: grant.resource,
                        createdAt: now,
                        expiresAt: now.addingTimeInterval(60)
                    )
                )
                let access = OAuthTokenRecord(
                    hash: TokenIssuer.hash(token),
                    kind: .access,
                    grantID: grant.id,
                    createdAt: now,
                    expiresAt: now.addingTimeInterval(600)
                )
                #expect(try await store.redeemAuthorizationCode(hash: "code", at: now, grant: grant, tokens: [access]))
            }
            let headers: HTTPFields = [.accept: "application/json, text/event-stream", HTTPField.Name("MCP-Protocol-Version")!: "2025-11-25"]
            let initialize = try await app.request(
                .post,
                "/mcp",
                as: nil,
                rawAuthorization: "Bearer \(token)",
                body:
                    #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#,
                headers: headers
            )
            #expect(initialize.status == .ok, "\(initialize.text.prefix(200))")
            let session = try #require(initialize.headers[HTTPField.Name("Mcp-Session-Id")!])
            var sessionHeaders = headers
            sessionHeaders[HTTPField.Name("Mcp-Session-Id")!] = session
            let list = try await app.request(
                .post,
                "/mcp",
                as: nil,
                rawAuthorization: "Bearer \(token)",
                body: #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_datasets","arguments":{}}}"#,
                headers: sessionHeaders
            )
            #expect(list.status == .ok)
            let query = try await app.request(
                .post,
                "/mcp",
                as: nil,
                rawAuthorization: "Bearer \(token)",
                body:
                    #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"execute_sql","arguments":{"dataset_id":"demo","sql":"select 1"}}}"#,
                headers: sessionHeaders
            )
            #expect(query.status == .forbidden)
            let challenge = try #require(query.headers[.wwwAuthenticate])
            #expect(challenge.contains(#"error="insufficient_scope""#) && challenge.contains(#"scope="analytics:query""#))
            #expect(challenge.contains("resource_metadata="))
            let onAPI = try await app.request(.get, "/api/datasets", as: nil, rawAuthorization: "Bearer \(token)")
            #expect(onAPI.status == .unauthorized, "OAuth access tokens are for /mcp only")

            let grants = try await app.request(.get, "/api/oauth/grants", as: .admin)
            #expect(grants.json?["grants"]?.arrayValue?.map { $0["id"] } == ["g-read"])
            #expect(grants.json?["grants"]?.arrayValue?.first?["user_id"]?.stringValue == user.id)
            #expect(try await app.request(.get, "/api/oauth/grants", as: .analyst).json?["grants"] == [], "others see only their own")
            #expect(try await app.request(.delete, "/api/oauth/grants/g-read", as: .analyst).errorCode == "GRANT_NOT_FOUND")
            let revoked = try await app.request(.delete, "/api/oauth/grants/g-read", as: .admin)
            #expect(revoked.status == .ok)
            #expect(revoked.json?["revoked_at"] != nil && revoked.json?["revoked_at"] != .null)
            let after = try await app.request(
                .post,
                "/mcp",
                as: nil,
                rawAuthorization: "Bearer \(token)",
                body: #"{"jsonrpc":"2.0","id":4,"method":"tools/list"}"#,
                headers: sessionHeaders
            )
            #expect(after.status == .unauthorized, "a revoked grant's next call is refused")
        }
    }

    @Test("two tokens of one user cannot satisfy --required-reviewers 2; another user can", arguments: StoreBackend.allCases)
    func fourEyesByUser(backend: StoreBackend) async throws {
        try await TestApp.run(backend, configure: { $0.requiredReviewers = 2 }) { app in
            _ = try await Self.withUser(app, email: "rita@example.com", role: .reviewer)
            var tokens: [String] = []
            for name in ["rita-laptop", "rita-ci"] {
                let issued = try await app.request(.post, "/api/tokens", as: .admin, json: ["name": .string(name), "user": "rita@example.com"])
                #expect(issued.status == .created, "\(issued.text.prefix(200))")
                #expect(issued.json?["token_info"]?["role"] == "reviewer", "a user's token takes the user's role")
                tokens.append(try #require(issued.json?["token"]?.stringValue))
            }
            _ = try await OnboardingRoutesTests.createSQLiteDataset(app, id: "panel")
            for target in ["metadata_pending", "human_review"] {
                #expect(try await app.request(.post, "/api/datasets/panel/transitions", as: .reviewer, json: ["to": .string(target)]).status == .ok)
            }
            let edit = try await app.request(
                .put,
                "/api/datasets/panel/metadata",
                as: nil,
                rawAuthorization: "Bearer \(tokens[0])",
                body: #"{"metadata": {"summary": "Rita's words."}}"#
            )
            #expect(edit.status == .ok, "\(edit.text.prefix(200))")
            let sameUser = try await app.request(
                .post,
                "/api/datasets/panel/review",
                as: nil,
                rawAuthorization: "Bearer \(tokens[1])",
                body: #"{"decision": "approve"}"#
            )
            #expect(sameUser.errorCode == "SELF_APPROVAL_REFUSED", "\(sameUser.text.prefix(200))")
            let other = try await app.request(.post, "/api/datasets/panel/review", as: .reviewer, json: ["decision": "approve"])
            #expect(other.json?["state"] == "active", "\(other.text.prefix(200))")
            let history = try await app.request(.get, "/api/datasets/panel/history", as: .viewer)
            let actors = Set(history.json?["transitions"]?.arrayValue?.compactMap { $0["actor"]?.stringValue } ?? [])
            #expect(actors.contains(app.userIDs[.reviewer]!), "transitions record user ids: \(actors)")
            #expect(history.json?["actor_names"]?[app.userIDs[.reviewer]!] == "test-reviewer", "with display names beside them")
        }
    }

    @Test("a token may not outrank its user; JSON routes refuse other media types with 415 and change nothing")
    func tokensAndMediaTypes() async throws {
        try await TestApp.run(.sqlite, noAuth: true) { app in
            _ = try await Self.withUser(app, email: "vic@example.com", role: .viewer)
            let above = try await app.request(.post, "/api/tokens", as: nil, json: ["name": "x", "role": "admin", "user": "vic@example.com"])
            #expect(above.errorCode == "ACCESS_DENIED")
            let unknown = try await app.request(.post, "/api/tokens", as: nil, json: ["name": "x", "user": "ghost@example.com"])
            #expect(unknown.errorCode == "USER_NOT_FOUND")
            let plain = try await app.request(.post, "/api/tokens", as: nil, body: #"{"name":"x","role":"admin"}"#, contentType: "text/plain")
            #expect(plain.status == .unsupportedMediaType)
            #expect(plain.errorCode == "UNSUPPORTED_MEDIA_TYPE")
            let form = try await app.request(
                .post,
                "/api/tokens",
                as: nil,
                body: "name=x&role=admin",
                contentType: "application/x-www-form-urlencoded"
            )
            #expect(form.status == .unsupportedMediaType)
            let names = try await app.request(.get, "/api/tokens", as: nil).json?["tokens"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(names?.contains("x") == false)
        }
    }

    @Test("the token and registration endpoints answer RFC errors for bad input")
    func tokenEndpointErrors() async throws {
        try await TestApp.run(.sqlite, configure: { $0.oauth.publicURL = Self.publicURL }) { app in
            let form = "application/x-www-form-urlencoded"
            let unknown = try await app.request(
                .post,
                "/oauth/token",
                as: nil,
                body: "grant_type=authorization_code&client_id=nope&code=x",
                contentType: form
            )
            #expect(unknown.status == .unauthorized)
            #expect(unknown.json?["error"] == "invalid_client")
            #expect(unknown.headers[.cacheControl] == "no-store")
            let repeated = try await app.request(.post, "/oauth/token", as: nil, body: "grant_type=a&grant_type=b", contentType: form)
            #expect(repeated.json?["error"] == "invalid_request")
            let json = try await app.request(.post, "/oauth/token", as: nil, body: #"{"grant_type":"refresh_token"}"#)
            #expect(json.json?["error"] == "invalid_request")
            let badRedirect = try await app.request(.post, "/oauth/register", as: nil, json: ["redirect_uris": ["https://evil.example/cb"]])
            #expect(badRedirect.status == .badRequest)
            #expect(badRedirect.json?["error"] == "invalid_redirect_uri")
            let registered = try await app.request(.post, "/oauth/register", as: nil, json: ["redirect_uris": ["http://127.0.0.1:7777/cb"]])
            #expect(registered.status == .created)
            #expect(registered.json?["scope"] == "analytics:read analytics:query", "no scope asked means the default scopes")
            let client = try #require(registered.json?["client_id"]?.stringValue)
            let grantType = try await app.request(.post, "/oauth/token", as: nil, body: "grant_type=password&client_id=\(client)", contentType: form)
            #expect(grantType.json?["error"] == "unsupported_grant_type")
            let page = try await app.request(.get, "/oauth/authorize?client_id=nope&response_type=code", as: nil)
            #expect(page.status == .badRequest)
            #expect(page.text.contains(#"data-testid="oauth-error""#))
            #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(page.headers[.location] == nil, "an unknown client is never redirected to")
        }
    }
}
