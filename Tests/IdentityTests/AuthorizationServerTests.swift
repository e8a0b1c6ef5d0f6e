import AnalyticsCore
import Foundation
import Logging
import MetadataStore
import TestSupport
import Testing

@testable import Identity

/// The authorization server's protocol logic over a real SQLite store, without HTTP: what codes and
/// refresh tokens may be used for, and what misuse revokes.
@Suite("Authorization server: codes, PKCE, rotation, replay and revocation")
struct AuthorizationServerTests {
    static let logger = Logger(label: "identity-tests")
    static let endpoints = OAuthEndpoints(issuer: "https://analytics.example.com")
    static let redirect = "http://127.0.0.1:5555/callback"
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

    struct Fixture {
        let store: SQLiteMetadataStore
        let server: AuthorizationServer
        let authenticator: CredentialAuthenticator
        let user: User
        let client: OAuthClientRecord

        /// A valid authorization request's parameters, with `overrides` applied (`nil` removes one).
        func query(_ overrides: [String: String?] = [:]) -> [String: String] {
            var query = [
                "response_type": "code", "client_id": self.client.id, "redirect_uri": AuthorizationServerTests.redirect,
                "state": "s-1", "code_challenge": AuthorizationServerTests.challenge, "code_challenge_method": "S256",
                "scope": "analytics:read analytics:query", "resource": AuthorizationServerTests.endpoints.resource,
            ]
            for (key, value) in overrides { query[key] = value }
            return query
        }

        func code() async throws -> String {
            let request = try await self.server.validate(self.query(), endpoints: AuthorizationServerTests.endpoints)
            let location = try await self.server.approve(request, user: self.user, endpoints: AuthorizationServerTests.endpoints)
            return try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
        }

        func exchange(
            _ code: String,
            verifier: String = AuthorizationServerTests.verifier
        ) async throws(OAuthError)
            -> AuthorizationServer.TokenPair
        {
            try await self.server.exchangeCode(
                ["code": code, "code_verifier": verifier, "redirect_uri": AuthorizationServerTests.redirect],
                client: self.client,
                endpoints: AuthorizationServerTests.endpoints
            )
        }

        func refresh(_ token: String) async throws(OAuthError) -> AuthorizationServer.TokenPair {
            try await self.server.refresh(["refresh_token": token], client: self.client, endpoints: AuthorizationServerTests.endpoints)
        }

        func principal(_ token: String) async throws -> Principal {
            try await self.authenticator.authenticate(token: token, resource: AuthorizationServerTests.endpoints)
        }
    }

    static func withFixture(grace: TimeInterval = 60, _ body: (Fixture) async throws -> Void) async throws {
        let directory = try TemporaryDirectory(prefix: "mcpa-identity")
        defer { directory.remove() }
        let store = try SQLiteMetadataStore(path: directory.file("registry.sqlite"), logger: self.logger)
        _ = try await store.migrate()
        var settings = OAuthSettings()
        settings.refreshReuseGrace = grace
        let vault = SecretVault(keyring: SecretKeyring(active: SecretKeyring.generateKey()), logger: self.logger)
        let authenticator = CredentialAuthenticator(store: store, ttl: 0)
        let fetcher = ClientMetadataFetcher(allowInsecureLoopback: false, logger: self.logger)
        let clients = OAuthClientRegistry(store: store, settings: settings, fetcher: fetcher, logger: self.logger)
        let server = AuthorizationServer(
            store: store,
            vault: vault,
            settings: settings,
            clients: clients,
            authenticator: authenticator,
            logger: self.logger
        )
        let user = try await UserService(store: store, hasher: PasswordHasher(cost: 4), logger: self.logger)
            .create(email: "Ana@Example.com", displayName: "Ana", role: .analyst, password: "correct horse battery")
        let (client, _) = try await clients.register(["redirect_uris": [.string(self.redirect)], "client_name": "Test client"])
        try await body(Fixture(store: store, server: server, authenticator: authenticator, user: user, client: client))
    }

    @Test("a code exchanged with the right verifier yields tokens for the exact audience, carrying the user and scopes")
    func happyPath() async throws {
        try await Self.withFixture { f in
            let pair = try await f.exchange(try await f.code())
            #expect(pair.accessToken.hasPrefix("mcpat_") && pair.refreshToken.hasPrefix("mcprt_"))
            let principal = try await f.principal(pair.accessToken)
            #expect(principal.id == f.user.id && principal.role == .analyst)
            #expect(principal.scopes == [OAuthScope.read, OAuthScope.query])
            let other = OAuthEndpoints(issuer: "https://other.example.com")
            await #expect(throws: AnalyticsError.self) {
                _ = try await f.authenticator.authenticate(token: pair.accessToken, resource: other)
            }
            await #expect(throws: AnalyticsError.self, "access tokens are refused where only API tokens are accepted") {
                _ = try await f.authenticator.authenticate(token: pair.accessToken, resource: nil)
            }
            #expect(try await f.store.grants(userID: f.user.id).count == 1)
        }
    }

    @Test("a wrong verifier, another redirect or a foreign resource is refused and leaves no grant")
    func badExchanges() async throws {
        try await Self.withFixture { f in
            let code = try await f.code()
            await #expect(throws: OAuthError.invalidGrant("The code_verifier does not match the code_challenge.")) {
                _ = try await f.exchange(code, verifier: String(repeating: "x", count: 43))
            }
            await #expect(throws: OAuthError.self) {
                _ = try await f.server.exchangeCode(
                    ["code": code, "code_verifier": Self.verifier, "redirect_uri": "http://127.0.0.1:5555/other"],
                    client: f.client,
                    endpoints: Self.endpoints
                )
            }
            do {
                _ = try await f.server.exchangeCode(
                    ["code": code, "code_verifier": Self.verifier, "redirect_uri": Self.redirect, "resource": "https://evil.example/mcp"],
                    client: f.client,
                    endpoints: Self.endpoints
                )
                Issue.record("a foreign resource was accepted")
            } catch let error as OAuthError {
                #expect(error.error == "invalid_target")
            }
            #expect(try await f.store.grants(userID: nil).isEmpty, "no half-made grant")
            _ = try await f.exchange(code)
        }
    }

    @Test("a replayed code is refused and revokes the tokens it issued")
    func replayedCode() async throws {
        try await Self.withFixture { f in
            let code = try await f.code()
            let pair = try await f.exchange(code)
            _ = try await f.principal(pair.accessToken)
            await #expect(throws: OAuthError.self) { _ = try await f.exchange(code) }
            await #expect(throws: AnalyticsError.self) { _ = try await f.principal(pair.accessToken) }
            await #expect(throws: OAuthError.self) { _ = try await f.refresh(pair.refreshToken) }
        }
    }

    @Test("refresh rotates; reuse within the grace returns the same pair, after it revokes the family")
    func rotation() async throws {
        try await Self.withFixture { f in
            let first = try await f.exchange(try await f.code())
            let second = try await f.refresh(first.refreshToken)
            #expect(second.refreshToken != first.refreshToken && second.accessToken != first.accessToken)
            let again = try await f.refresh(first.refreshToken)
            #expect(again == second, "a concurrent refresh gets the pair already issued")
            let third = try await f.refresh(second.refreshToken)
            _ = try await f.principal(third.accessToken)
            await #expect(throws: OAuthError.self) { _ = try await f.refresh(first.refreshToken + "x") }
        }
        try await Self.withFixture(grace: 0) { f in
            let first = try await f.exchange(try await f.code())
            let second = try await f.refresh(first.refreshToken)
            try await Task.sleep(for: .milliseconds(20))
            await #expect(throws: OAuthError.self) { _ = try await f.refresh(first.refreshToken) }
            await #expect(throws: AnalyticsError.self, "reuse after the grace revoked the family") {
                _ = try await f.principal(second.accessToken)
            }
            await #expect(throws: OAuthError.self) { _ = try await f.refresh(second.refreshToken) }
        }
    }

    @Test("authorization requests: bad client or redirect is a page; PKCE, state, resource and scope errors redirect")
    func authorizationRequests() async throws {
        try await Self.withFixture { f in
            func failure(_ overrides: [String: String?]) async -> AuthorizationFailure? {
                do {
                    _ = try await f.server.validate(f.query(overrides), endpoints: Self.endpoints)
                    return nil
                } catch {
                    return error
                }
            }
            guard case .page = await failure(["client_id": "mcpc_unknown"]) else {
                Issue.record("unknown client")
                return
            }
            guard case .page = await failure(["redirect_uri": "https://evil.example/cb"]) else {
                Issue.record("bad redirect")
                return
            }
            for (overrides, error) in [
                (["code_challenge_method": "plain"], "invalid_request"), (["code_challenge": nil], "invalid_request"),
                (["state": nil], "invalid_request"), (["resource": "https://evil.example/mcp"], "invalid_target"),
                (["scope": "admin"], "invalid_scope"), (["response_type": "token"], "unsupported_response_type"),
            ] as [([String: String?], String)] {
                guard case .redirect(let location) = await failure(overrides) else {
                    Issue.record("\(overrides) did not redirect")
                    continue
                }
                let items = URLComponents(string: location)?.queryItems ?? []
                #expect(location.hasPrefix(Self.redirect))
                #expect(items.first { $0.name == "error" }?.value == error, "\(overrides)")
                #expect(items.first { $0.name == "iss" }?.value == Self.endpoints.issuer)
            }
            let tolerated = try await f.server.validate(f.query(["resource": "https://ANALYTICS.example.com/mcp/"]), endpoints: Self.endpoints)
            #expect(tolerated.resource == Self.endpoints.resource)
        }
    }

    @Test("a disabled user's tokens stop working and their code cannot be exchanged")
    func disabledUser() async throws {
        try await Self.withFixture { f in
            let pair = try await f.exchange(try await f.code())
            let code = try await f.code()
            _ = try await f.store.updateUser(id: f.user.id) { $0.isActive = false }
            await #expect(throws: AnalyticsError.self) { _ = try await f.principal(pair.accessToken) }
            await #expect(throws: OAuthError.self) { _ = try await f.exchange(code) }
            await #expect(throws: OAuthError.self) { _ = try await f.refresh(pair.refreshToken) }
        }
    }
}
