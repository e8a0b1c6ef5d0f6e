import AnalyticsCore
import AnalyticsServer
import Foundation
import TestSupport
import Testing

@Suite("Authentication and roles")
struct AuthTests {
    @Test("missing, malformed and unknown tokens get 401 with WWW-Authenticate", arguments: StoreBackend.allCases)
    func unauthenticated(backend: StoreBackend) async throws {
        try await TestApp.run(backend) { app in
            let attempts: [String?] = [nil, "Basic abc", "Bearer", "Bearer    ", "Bearer mcpa_not_a_real_token"]
            for header in attempts {
                let result = try await app.request(.get, "/api/datasets", as: nil, rawAuthorization: header)
                #expect(result.status == .unauthorized, "header \(header ?? "none")")
                #expect(result.errorCode == "UNAUTHENTICATED")
                #expect(result.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
        }
    }

    @Test("a revoked token stops working at once", arguments: StoreBackend.allCases)
    func revoked(backend: StoreBackend) async throws {
        try await TestApp.run(backend) { app in
            let created = try await app.request(.post, "/api/tokens", json: ["name": "temp", "role": "viewer"])
            #expect(created.status == .created)
            let token = try #require(created.json?["token"]?.stringValue)
            let id = try #require(created.json?["token_info"]?["id"]?.stringValue)
            #expect(try await app.request(.get, "/api/datasets", as: nil, rawAuthorization: "Bearer \(token)").status == .ok)
            #expect(try await app.request(.delete, "/api/tokens/\(id)").status == .ok)
            let after = try await app.request(.get, "/api/datasets", as: nil, rawAuthorization: "Bearer \(token)")
            #expect(after.status == .unauthorized)
            #expect(after.errorCode == "UNAUTHENTICATED")
            let listed = try await app.request(.get, "/api/tokens")
            let entry = listed.json?["tokens"]?.arrayValue?.first { $0["id"]?.stringValue == id }
            #expect(entry?["revoked_at"]?.isNull == false)
            #expect(!listed.text.contains(token), "token values are never listed")
            #expect(try await app.request(.delete, "/api/tokens/no-such-token").errorCode == "TOKEN_NOT_FOUND")
        }
    }

    @Test("the role table decides who may do what", arguments: StoreBackend.allCases)
    func roles(backend: StoreBackend) async throws {
        try await TestApp.run(backend) { app in
            let path = app.directory.file("panel.sqlite")
            try TestSQLite.createSampleDatabase(at: path)
            let create: JSONValue = ["id": "panel", "name": "Panel", "connection_url": .string("sqlite:" + path)]
            for role in [Role.viewer, .analyst, .reviewer] {
                let result = try await app.request(.post, "/api/datasets", as: role, json: create)
                #expect(result.status == .forbidden, "\(role) must not register datasets")
                #expect(result.errorCode == "ACCESS_DENIED")
            }
            #expect(try await app.request(.post, "/api/datasets", as: .admin, json: create).status == .created)
            for role in Role.allCases {
                #expect(try await app.request(.get, "/api/datasets/panel", as: role).status == .ok, "\(role) reads")
            }
            let move: JSONValue = ["to": "metadata_pending"]
            for role in [Role.viewer, .analyst] {
                let result = try await app.request(.post, "/api/datasets/panel/transitions", as: role, json: move)
                #expect(result.errorCode == "ACCESS_DENIED", "\(role) must not move datasets")
            }
            #expect(try await app.request(.post, "/api/datasets/panel/transitions", as: .reviewer, json: move).status == .ok)
            #expect(try await app.request(.patch, "/api/datasets/panel", as: .analyst, json: ["description": "x"]).errorCode == "ACCESS_DENIED")
            #expect(try await app.request(.patch, "/api/datasets/panel", as: .reviewer, json: ["description": "x"]).status == .ok)
            let settings: JSONValue = ["settings": ["pool_size": 2]]
            #expect(try await app.request(.patch, "/api/datasets/panel", as: .reviewer, json: settings).errorCode == "ACCESS_DENIED")
            #expect(try await app.request(.patch, "/api/datasets/panel", as: .admin, json: settings).status == .ok)
            #expect(try await app.request(.delete, "/api/datasets/panel", as: .reviewer).errorCode == "ACCESS_DENIED")
            #expect(try await app.request(.get, "/api/tokens", as: .reviewer).errorCode == "ACCESS_DENIED")
            #expect(try await app.request(.post, "/api/tokens", as: .reviewer, json: ["name": "x", "role": "admin"]).errorCode == "ACCESS_DENIED")
        }
    }

    @Test("--no-auth runs as the local operator on loopback and is refused elsewhere")
    func noAuth() async throws {
        try await TestApp.run(.sqlite, noAuth: true) { app in
            let result = try await app.request(.get, "/api/datasets", as: nil)
            #expect(result.status == .ok)
            #expect(app.logs.all.contains { $0.contains("authentication is disabled") })
        }
        for host in ["0.0.0.0", "10.1.2.3", "example.com", "::"] {
            #expect(throws: AnalyticsError.self) {
                try ServerConfiguration.resolve(flags: ["host": host, "no-auth": "true"], environment: [:])
            }
        }
        for host in ["127.0.0.1", "localhost", "::1"] {
            #expect(try ServerConfiguration.resolve(flags: ["host": host, "no-auth": "true"], environment: [:]).noAuth)
        }
    }
}
