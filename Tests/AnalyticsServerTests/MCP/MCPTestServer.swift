import AnalyticsCore
import ControlPlane
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import Logging
import MetadataStore
import NIOCore
import TestSupport

@testable import AnalyticsServer

/// A running server on loopback with MCP settings a test chooses, and helpers to speak MCP to it.
struct MCPTestServer {
    let client: any TestClientProtocol
    let tokens: [Role: String]
    let dependencies: AppDependencies
    let directory: TemporaryDirectory

    static func run(
        _ backend: StoreBackend = .sqlite,
        configure: @Sendable (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (MCPTestServer) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory(prefix: "mcpa-mcp")
        defer { directory.remove() }
        var database: TestDatabase?
        let storeURL: String
        switch backend {
        case .sqlite: storeURL = "sqlite:" + directory.file("registry.sqlite")
        case .postgres:
            let db = try await TestPostgres.createDatabase(prefix: "mcp")
            database = db
            storeURL = db.url.raw
        }
        do {
            try await self.run(storeURL: storeURL, directory: directory, configure: configure, body)
        } catch {
            await database?.drop()
            throw error
        }
        await database?.drop()
    }

    static func run(
        storeURL: String,
        directory: TemporaryDirectory,
        configure: @Sendable (inout ServerConfiguration) -> Void,
        _ body: @Sendable (MCPTestServer) async throws -> Void
    ) async throws {
        let logger = Logger(label: "mcp-test") { _ in SwiftLogNoOpLogHandler() }
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.store = storeURL
        configuration.dataDirectory = directory.path
        configure(&configuration)
        let tokens = try await StoreSession.with(url: storeURL, logger: logger) { store in
            var tokens: [Role: String] = [:]
            for role in Role.allCases {
                tokens[role] = try await TokenService(store: store).create(name: "mcp-\(role.rawValue)", role: role).token
            }
            return tokens
        }
        let dependencies = try ServerRuntime.dependencies(configuration: configuration, logger: logger)
        let app = AnalyticsApplication.build(dependencies)
        try await app.test(.live) { client in
            try await body(MCPTestServer(client: client, tokens: tokens, dependencies: dependencies, directory: directory))
        }
    }

    /// One HTTP exchange with `/mcp`.
    struct Exchange: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let text: String

        var json: JSONValue? { try? JSONValue.parse(self.text) }
        var sessionID: String? { self.headers[MCPHTTP.sessionID] }
        var contentType: String? { self.headers[.contentType] }
        /// The JSON-RPC messages of an SSE body, in order.
        var events: [JSONValue] {
            self.text.components(separatedBy: "\n").compactMap { line in
                guard line.hasPrefix("data: ") else { return nil }
                return try? JSONValue.parse(String(line.dropFirst(6)))
            }
        }
        var rpcErrorCode: Int64? { self.json?["error"]?["code"]?.intValue }
    }

    func send(
        _ method: HTTPRequest.Method = .post,
        _ message: JSONValue? = nil,
        as role: Role? = .admin,
        session: String? = nil,
        headers extra: HTTPFields = [:],
        rawBody: String? = nil
    ) async throws -> Exchange {
        var headers: HTTPFields = [.contentType: "application/json", .accept: "application/json, text/event-stream"]
        if let role, let token = self.tokens[role] { headers[.authorization] = "Bearer \(token)" }
        if let session { headers[MCPHTTP.sessionID] = session }
        for field in extra { headers[field.name] = field.value }
        let body = rawBody ?? message?.serialized()
        let response = try await self.client.execute(uri: "/mcp", method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return Exchange(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    /// POSTs one message.
    func send(_ message: JSONValue, as role: Role? = .admin, session: String? = nil, headers: HTTPFields = [:]) async throws -> Exchange {
        try await self.send(.post, message, as: role, session: session, headers: headers)
    }

    /// POSTs one message on a connection of its own, as a client does while another request of the
    /// session is still running (the shared test client has one connection).
    func sendAside(_ message: JSONValue, as role: Role, session: String) async throws -> Exchange {
        guard let port = self.client.port else { throw HarnessError("the server is not live") }
        var headers: HTTPFields = [.contentType: "application/json", .accept: "application/json, text/event-stream"]
        headers[.authorization] = self.tokens[role].map { "Bearer \($0)" }
        headers[MCPHTTP.sessionID] = session
        let request = TestClient.Request("/mcp", method: .post, headers: headers, body: ByteBuffer(string: message.serialized()))
        return try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            let response = try await client.execute(request)
            return Exchange(status: response.status, headers: response.headers, text: response.body.map { String(buffer: $0) } ?? "")
        }
    }

    static func request(_ id: Int64, _ method: String, _ params: JSONValue = [:]) -> JSONValue {
        ["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params]
    }

    static let initialize = request(
        1,
        "initialize",
        ["protocolVersion": "2025-11-25", "capabilities": [:], "clientInfo": ["name": "swift-tests", "version": "9.9"]]
    )

    /// Opens a session as `role` and completes the handshake; returns the session id.
    func openSession(as role: Role = .admin) async throws -> String {
        let reply = try await self.send(Self.initialize, as: role)
        guard reply.status == .ok, let id = reply.sessionID else { throw HarnessError("initialize failed: \(reply.status) \(reply.text)") }
        let initialized = try await self.send(["jsonrpc": "2.0", "method": "notifications/initialized"], as: role, session: id)
        guard initialized.status == .accepted else { throw HarnessError("initialized: \(initialized.status)") }
        return id
    }

    /// Registers a SQLite dataset over REST and moves it to `active`.
    func activateDataset(id: String) async throws {
        let path = self.directory.file("\(id).sqlite")
        try TestSQLite.createSampleDatabase(at: path)
        let store = self.dependencies.store
        // Moved to active by hand below, so the onboarding pipeline is left out.
        var service = self.dependencies.datasetService
        service.onboarding = nil
        _ = try await service.create(
            CreateDatasetRequest(id: id, name: "Dataset \(id)", description: "Test data \(id).", connectionURL: "sqlite:" + path),
            by: .system
        )
        for state in [LifecycleState.metadataPending, .humanReview, .approved, .active] {
            _ = try await store.transitionDataset(id: id, to: state, actor: "test", note: nil)
        }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
