import AnalyticsCore
import HTTPTypes
import TestSupport
import Testing

@testable import AnalyticsServer

@Suite("MCP Streamable HTTP at /mcp")
struct MCPTransportTests {
    @Test("handshake, tools/list and a tool call over a stateful session, on both stores", arguments: StoreBackend.allCases)
    func handshake(backend: StoreBackend) async throws {
        try await MCPTestServer.run(backend) { server in
            try await server.activateDataset(id: "panel")
            let initialize = try await server.send(MCPTestServer.initialize)
            #expect(initialize.status == .ok)
            #expect(initialize.contentType?.hasPrefix("application/json") == true)
            let session = try #require(initialize.sessionID)
            #expect(session.count == 64 && session.allSatisfy(\.isHexDigit))
            let result = try #require(initialize.json?["result"])
            #expect(result["protocolVersion"] == "2025-11-25")
            #expect(result["serverInfo"]?["name"] == "mcp-analytics")
            #expect(result["capabilities"]?["tools"]?["listChanged"] == true)
            #expect(result["instructions"]?.stringValue?.contains("analytics://rules") == true)

            let initialized = try await server.send(["jsonrpc": "2.0", "method": "notifications/initialized"], session: session)
            #expect(initialized.status == .accepted)
            #expect(initialized.text.isEmpty)

            let tools = try await server.send(MCPTestServer.request(2, "tools/list"), session: session)
            #expect(tools.status == .ok)
            #expect(tools.json?["id"] == 2)
            let names = tools.json?["result"]?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(names.contains("execute_sql") && names.contains("list_available_tools"))
            let describe = tools.json?["result"]?["tools"]?.arrayValue?.first { $0["name"] == "describe_dataset" }
            #expect(describe?["inputSchema"]?["properties"]?["dataset_id"]?["enum"] == ["panel"])

            let call = try await server.send(MCPTestServer.request(3, "tools/call", ["name": "list_datasets", "arguments": [:]]), session: session)
            #expect(call.json?["result"]?["structuredContent"]?["datasets"]?.arrayValue?.first?["id"] == "panel")
            #expect(call.json?["result"]?["isError"] == nil)
            #expect(call.json?["result"]?["content"]?.arrayValue?.count == 1)

            let unknown = try await server.send(MCPTestServer.request(4, "tools/call", ["name": "nope", "arguments": [:]]), session: session)
            #expect(unknown.rpcErrorCode == -32602)
            #expect(unknown.json?["error"]?["message"]?.stringValue?.contains("list_datasets") == true)
        }
    }

    @Test("a request with a progress token is answered on its own SSE stream; others with plain JSON")
    func streamForProgress() async throws {
        try await MCPTestServer.run { server in
            let session = try await server.openSession()
            let call = MCPTestServer.request(5, "tools/call", ["name": "list_available_tools", "arguments": [:], "_meta": ["progressToken": "p-1"]])
            let streamed = try await server.send(call, session: session)
            #expect(streamed.status == .ok)
            #expect(streamed.contentType == "text/event-stream")
            let events = streamed.events
            #expect(events.last?["id"] == 5)
            #expect(events.last?["result"]?["structuredContent"]?["tools"] != nil)
            #expect(streamed.text.contains("event: message\ndata: "))

            let jsonOnly = try await server.send(call, session: session, headers: [.accept: "application/json"])
            #expect(jsonOnly.contentType == "application/json")
            #expect(jsonOnly.json?["id"] == 5)
        }
    }

    @Test("session ids: missing is 400, unknown is 404, another principal's is 404, DELETE ends it")
    func sessions() async throws {
        try await MCPTestServer.run { server in
            let list = MCPTestServer.request(7, "tools/list")
            let missing = try await server.send(list)
            #expect(missing.status == .badRequest)
            #expect(missing.rpcErrorCode == -32600)
            #expect(missing.json?["id"] == 7)

            let unknown = try await server.send(list, session: String(repeating: "ab", count: 32))
            #expect(unknown.status == .notFound)
            #expect(unknown.rpcErrorCode == -32001)

            let session = try await server.openSession(as: .analyst)
            let stolen = try await server.send(list, as: .admin, session: session)
            #expect(stolen.status == .notFound, "a session answers only the principal that opened it")
            #expect(try await server.send(list, as: .analyst, session: session).status == .ok)

            let ended = try await server.send(.delete, as: .analyst, session: session)
            #expect(ended.status == .ok)
            let after = try await server.send(list, as: .analyst, session: session)
            #expect(after.status == .notFound)
            #expect(try await server.send(.get, as: .analyst, session: session, headers: [.accept: "text/event-stream"]).status == .notFound)
            #expect(try await server.send(.delete, as: .analyst, session: session).status == .notFound)
            #expect(try await server.send(.delete).status == .badRequest)
        }
    }

    @Test("an unsupported MCP-Protocol-Version is 400 naming the supported versions; a supported one passes")
    func protocolVersion() async throws {
        try await MCPTestServer.run { server in
            let session = try await server.openSession()
            let list = MCPTestServer.request(8, "tools/list")
            let future = try await server.send(list, session: session, headers: [MCPHTTP.protocolVersion: "2026-07-28"])
            #expect(future.status == .badRequest)
            #expect(future.rpcErrorCode == -32022)
            #expect(future.json?["error"]?["data"]?["supported"]?.arrayValue?.contains("2025-11-25") == true)
            #expect(future.json?["id"] == 8)
            let garbage = try await server.send(list, session: session, headers: [MCPHTTP.protocolVersion: "banana"])
            #expect(garbage.status == .badRequest)
            let current = try await server.send(list, session: session, headers: [MCPHTTP.protocolVersion: "2025-11-25"])
            #expect(current.status == .ok)
            let older = try await server.send(list, session: session, headers: [MCPHTTP.protocolVersion: "2025-03-26"])
            #expect(older.status == .ok)
        }
    }

    @Test("malformed bodies, batches, wrong content types and unacceptable Accept headers are refused")
    func malformed() async throws {
        try await MCPTestServer.run { server in
            let session = try await server.openSession()
            let notJSON = try await server.send(session: session, rawBody: "{not json")
            #expect(notJSON.status == .badRequest)
            #expect(notJSON.rpcErrorCode == -32700)
            let batch = try await server.send(
                .post,
                [MCPTestServer.request(1, "tools/list"), MCPTestServer.request(2, "tools/list")],
                session: session
            )
            #expect(batch.status == .badRequest)
            #expect(batch.rpcErrorCode == -32600)
            let text = try await server.send(MCPTestServer.request(1, "tools/list"), session: session, headers: [.contentType: "text/plain"])
            #expect(text.status == .unsupportedMediaType)
            let html = try await server.send(MCPTestServer.request(1, "tools/list"), session: session, headers: [.accept: "text/html"])
            #expect(html.status == .notAcceptable)
            let getJSON = try await server.send(.get, session: session, headers: [.accept: "application/json"])
            #expect(getJSON.status == .notAcceptable)
            let anything = try await server.send(MCPTestServer.request(9, "tools/list"), session: session, headers: [.accept: "*/*"])
            #expect(anything.status == .ok)
            let unknownMethod = try await server.send(MCPTestServer.request(10, "tools/explode"), session: session)
            #expect(unknownMethod.rpcErrorCode == -32601)
        }
    }

    @Test("/mcp needs a bearer token: 401 with WWW-Authenticate")
    func authentication() async throws {
        try await MCPTestServer.run { server in
            for header in [nil, "Bearer nope", "Basic abc"] as [String?] {
                var headers: HTTPFields = [:]
                if let header { headers[.authorization] = header }
                let reply = try await server.send(MCPTestServer.initialize, as: nil, headers: headers)
                #expect(reply.status == .unauthorized)
                #expect(reply.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                #expect(reply.sessionID == nil)
            }
            #expect(await server.dependencies.mcp.http.sessionCount == 0)
        }
    }

    @Test("Origin and Host are checked before auth: foreign ones get 403, loopback and same-origin pass")
    func originLoopback() async throws {
        try await MCPTestServer.run { server in
            let foreign = try await server.send(MCPTestServer.initialize, as: nil, headers: [.origin: "https://evil.example"])
            #expect(foreign.status == .forbidden)
            #expect(foreign.json?["error"]?["message"]?.stringValue?.contains("--mcp-allowed-origins") == true)
            let nullOrigin = try await server.send(MCPTestServer.initialize, headers: [.origin: "null"])
            #expect(nullOrigin.status == .forbidden)
            let local = try await server.send(MCPTestServer.initialize, headers: [.origin: "http://localhost:6274"])
            #expect(local.status == .ok)
        }
    }

    @Test("behind a real hostname: allowed hosts and origins are configurable")
    func originConfigured() async throws {
        try await MCPTestServer.run(configure: {
            $0.mcpAllowedHosts = ["127.0.0.1:*", "localhost:*", "analytics.example.com"]
            $0.mcpAllowedOrigins = ["https://claude.example"]
        }) { server in
            let listed = try await server.send(MCPTestServer.initialize, headers: [.origin: "https://claude.example"])
            #expect(listed.status == .ok, "\(listed.text)")
            let other = try await server.send(MCPTestServer.initialize, headers: [.origin: "https://other.example"])
            #expect(other.status == .forbidden)
        }
    }

    @Test("stateless mode: every POST stands alone; GET and DELETE are 405")
    func stateless() async throws {
        try await MCPTestServer.run(configure: { $0.mcpStateless = true }) { server in
            try await server.activateDataset(id: "panel")
            let initialize = try await server.send(MCPTestServer.initialize)
            #expect(initialize.status == .ok)
            #expect(initialize.sessionID == nil)
            #expect(try await server.send(["jsonrpc": "2.0", "method": "notifications/initialized"]).status == .accepted)
            let call = try await server.send(MCPTestServer.request(2, "tools/call", ["name": "list_datasets", "arguments": [:]]))
            #expect(call.json?["result"]?["structuredContent"]?["datasets"]?.arrayValue?.count == 1)
            let streamed = try await server.send(
                MCPTestServer.request(3, "tools/call", ["name": "list_datasets", "arguments": [:], "_meta": ["progressToken": 1]])
            )
            #expect(streamed.contentType == "text/event-stream")
            #expect(streamed.events.last?["id"] == 3)
            #expect(try await server.send(.get, headers: [.accept: "text/event-stream"]).status == .methodNotAllowed)
            #expect(try await server.send(.delete).status == .methodNotAllowed)
            #expect(await server.dependencies.mcp.http.sessionCount == 0)
        }
    }

    @Test("idle sessions expire; the session cap refuses initialize with 503 until one ends")
    func expiryAndCap() async throws {
        try await MCPTestServer.run(configure: { $0.mcpMaxSessions = 2 }) { server in
            let first = try await server.openSession()
            _ = try await server.openSession()
            let third = try await server.send(MCPTestServer.initialize)
            #expect(third.status == .serviceUnavailable)
            #expect(third.headers[.retryAfter] != nil)

            let registry = server.dependencies.mcp.http.registry
            #expect(await registry.expireIdle(now: .now) == 0)
            let expired = await registry.expireIdle(now: .now + .seconds(ServerConfiguration().mcpSessionIdleSeconds + 1))
            #expect(expired == 2)
            #expect(try await server.send(MCPTestServer.request(2, "tools/list"), session: first).status == .notFound)
            #expect(try await server.send(MCPTestServer.initialize).status == .ok)
        }
    }
}
