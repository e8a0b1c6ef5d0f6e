import AnalyticsCore
import AnalyticsServer
import ControlPlane
import DemoPanel
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import Logging
import MetadataStore
import NIOCore
import TestSupport

/// A running server on a loopback port over a real store, with one token per role.
struct TestApp {
    let client: any TestClientProtocol
    let tokens: [Role: String]
    /// The user id each role's token acts for: what audit trails record as the actor.
    let userIDs: [Role: String]
    let logs: LogCapture
    let directory: TemporaryDirectory
    let storeURL: String

    /// Starts the server on `backend`, runs `body`, tears everything down (also on failure).
    static func run(
        _ backend: StoreBackend,
        noAuth: Bool = false,
        demo: Bool = false,
        configure: @Sendable (inout ServerConfiguration) -> Void = { _ in },
        environment: [String: String] = [:],
        _ body: @Sendable (TestApp) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory(prefix: "mcpa-server")
        defer { directory.remove() }
        var database: TestDatabase?
        let storeURL: String
        switch backend {
        case .sqlite:
            storeURL = "sqlite:" + directory.file("registry.sqlite")
        case .postgres:
            let db = try await TestPostgres.createDatabase(prefix: "srv")
            database = db
            storeURL = db.url.raw
        }
        do {
            try await self.run(
                storeURL: storeURL,
                directory: directory,
                noAuth: noAuth,
                demo: demo,
                configure: configure,
                environment: environment,
                body
            )
        } catch {
            await database?.drop()
            throw error
        }
        await database?.drop()
    }

    static func run(
        storeURL: String,
        directory: TemporaryDirectory,
        noAuth: Bool,
        demo: Bool = false,
        configure: @Sendable (inout ServerConfiguration) -> Void = { _ in },
        environment: [String: String] = [:],
        _ body: @Sendable (TestApp) async throws -> Void
    ) async throws {
        let logs = LogCapture()
        let logger = logs.logger(label: "mcp-analytics")
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.store = storeURL
        configuration.dataDirectory = directory.path
        configuration.noAuth = noAuth
        configuration.demo = demo
        // Onboarding on registration is off unless a test turns it on: most route tests move
        // datasets through the lifecycle by hand. Jobs retry fast so failure paths end promptly.
        configuration.autoOnboard = false
        configuration.jobRetryBaseSeconds = 0.05
        configure(&configuration)
        let issued = try await StoreSession.with(url: storeURL, logger: logger) { store in
            var issued: [Role: TokenService.Issued] = [:]
            for role in Role.allCases {
                issued[role] = try await TokenService(store: store).create(name: "test-\(role.rawValue)", role: role)
            }
            return issued
        }
        let tokens = issued.mapValues(\.token)
        let userIDs = issued.mapValues(\.record.userID)
        // The language model comes from `environment` only (never the developer's own API key).
        let dependencies = try ServerRuntime.dependencies(configuration: configuration, logger: logger, environment: environment)
        let app = AnalyticsApplication.build(
            dependencies,
            prepare: demo
                ? DemoBootstrap.prepare(
                    service: dependencies.datasetService,
                    store: dependencies.store,
                    logger: dependencies.logger,
                    dataDirectory: dependencies.configuration.dataDirectory
                ) : nil
        )
        try await app.test(.live) { client in
            try await body(TestApp(client: client, tokens: tokens, userIDs: userIDs, logs: logs, directory: directory, storeURL: storeURL))
        }
    }

    /// Sends a request as `role` (or with `rawAuthorization`, or none when both are nil) and parses the JSON answer.
    @discardableResult
    func request(
        _ method: HTTPRequest.Method,
        _ path: String,
        as role: Role? = .admin,
        rawAuthorization: String? = nil,
        body: String? = nil,
        contentType: String = "application/json",
        headers extra: HTTPFields = [:]
    ) async throws -> APIResult {
        var headers: HTTPFields = [.contentType: contentType]
        headers.append(contentsOf: extra)
        if let rawAuthorization {
            headers[.authorization] = rawAuthorization
        } else if let role, let token = self.tokens[role] {
            headers[.authorization] = "Bearer \(token)"
        }
        let response = try await self.client.execute(
            uri: path,
            method: method,
            headers: headers,
            body: body.map { ByteBuffer(string: $0) }
        )
        let text = String(buffer: response.body)
        return APIResult(status: response.status, headers: response.headers, text: text, json: try? JSONValue.parse(text))
    }

    func request(_ method: HTTPRequest.Method, _ path: String, as role: Role? = .admin, json: JSONValue) async throws -> APIResult {
        try await self.request(method, path, as: role, body: json.serialized())
    }
}

/// A response with its JSON body parsed.
struct APIResult: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let text: String
    let json: JSONValue?

    var errorCode: String? { self.json?["error"]?["code"]?.stringValue }
}
