import AnalyticsCore
import Foundation
import Hummingbird
import Identity
import Logging
import MCP
import MCPTools
import ServiceLifecycle

/// `POST|GET|DELETE /mcp`: the Streamable HTTP transport (MCP 2025-11-25), stateful by default.
///
/// - `POST` carries one JSON-RPC message. `initialize` without `Mcp-Session-Id` opens a session
///   (stateful mode); other requests need the id (400 without, 404 when unknown or ended). A request
///   with a progress token is answered as an SSE stream carrying its progress and then its response;
///   every other request gets plain JSON. A `tools/call` that needs no stream goes straight to the
///   tool dispatcher (``MCPHTTPTransport/answer(_:_:)``); everything else goes through the SDK server.
/// - `GET` opens the session's stream for server-initiated messages (`list_changed`).
/// - `DELETE` ends the session.
/// In stateless mode every `POST` runs on a fresh single-request session; `GET`/`DELETE` are 405.
struct MCPController {
    let service: MCPHTTPService

    func addRoutes(to builder: RouteBuilder) {
        builder.on(.post, "/mcp") { request, context in try await self.post(request, context: context) }
        builder.on(.get, "/mcp") { request, context in try await self.get(request, context: context) }
        builder.on(.delete, "/mcp") { request, context in try await self.delete(request, context: context) }
    }

    func post(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let contentType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard contentType == MCPHTTP.json else {
            return MCPHTTP.error(.unsupportedMediaType, code: MCPHTTP.Code.invalidRequest, "Content-Type must be application/json.")
        }
        let accept = MCPHTTP.Accept(request.headers[.accept])
        guard accept.json || accept.eventStream else {
            return MCPHTTP.error(.notAcceptable, code: MCPHTTP.Code.invalidRequest, "Accept must allow application/json and text/event-stream.")
        }
        let body = Data(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        guard let message = MCPMessage(body) else {
            let isBatch = (try? JSONValue.parse(body))?.arrayValue != nil
            return MCPHTTP.error(
                .badRequest,
                code: isBatch ? MCPHTTP.Code.invalidRequest : MCPHTTP.Code.parseError,
                isBatch ? "JSON-RPC batches are not supported; send one message per request." : "The body is not a JSON-RPC message."
            )
        }
        if !message.isInitialize, let refusal = Self.checkProtocolVersion(request.headers[MCPHTTP.protocolVersion], id: message.id) {
            return refusal
        }
        if let needed = OAuthScope.required(method: message.method, tool: message.toolName), !principal.has(scope: needed),
            let endpoints = context.oauthEndpoints
        {
            context.logger.info("MCP request refused: insufficient scope", metadata: ["mcpa.oauth.scope": "\(needed)"])
            return MCPHTTP.error(
                .forbidden,
                code: MCPHTTP.Code.invalidRequest,
                "This token lacks the scope '\(needed)'. Reconnect and allow it.",
                id: message.id,
                headers: [.wwwAuthenticate: MCPAuthMiddleware.challenge(endpoints, insufficientScope: needed)]
            )
        }
        let stream = accept.eventStream && (message.progressKey != nil || !accept.json)
        if self.service.stateless {
            return await self.postStateless(body, message: message, principal: principal, stream: stream)
        }
        let session: MCPHTTPSession
        if let id = request.headers[MCPHTTP.sessionID] {
            guard let found = await self.service.registry.session(id), found.belongs(to: principal) else {
                return Self.unknownSession(id: message.id)
            }
            session = found
        } else if message.isInitialize {
            do {
                session = try await self.service.registry.open(principal: principal)
            } catch MCPSessionRegistry.OpenFailure.full {
                return MCPHTTP.error(
                    .serviceUnavailable,
                    code: MCPHTTP.Code.serverBusy,
                    "Too many MCP sessions are open; retry later.",
                    id: message.id,
                    headers: [.retryAfter: "5"]
                )
            }
        } else {
            return MCPHTTP.error(
                .badRequest,
                code: MCPHTTP.Code.invalidRequest,
                "Missing Mcp-Session-Id header: send initialize first and echo the session id it returns.",
                id: message.id
            )
        }
        if !stream, message.toolParams != nil, AnalyticsMCPServer.requestID(message.id) != nil {
            let (mcp, state, params, id) = (self.service.mcp, session.state, message.toolParams, message.id)
            let reply = await session.transport.answer(message) { await mcp.toolCallResponse(id: id, params: params, session: state) }
            return Self.response(reply, message: message, session: session)
        }
        let reply = await session.transport.post(body, message: message, stream: stream)
        return Self.response(reply, message: message, session: session)
    }

    func postStateless(_ body: Data, message: MCPMessage, principal: Principal, stream: Bool) async -> Response {
        guard case .request = message.kind else { return Response(status: .accepted) }
        let session: MCPHTTPSession
        do {
            session = try await MCPSessionRegistry.start(
                mcp: self.service.mcp,
                id: "stateless",
                principal: principal,
                logger: self.service.logger,
                singleRequest: true
            )
        } catch {
            self.service.logger.error("cannot start an MCP server", metadata: ["mcpa.error.type": "\(type(of: error))"])
            return MCPHTTP.error(.internalServerError, code: -32603, "The server failed to start the request.", id: message.id)
        }
        let reply = await session.transport.post(body, message: message, stream: stream, cancelOnDisconnect: true)
        if case .stream = reply {} else { session.close() }
        return Self.response(reply, message: message, session: nil)
    }

    func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard !self.service.stateless else {
            return MCPHTTP.error(
                .methodNotAllowed,
                code: MCPHTTP.Code.invalidRequest,
                "This server is stateless: it has no stream for server-initiated messages.",
                headers: [.allow: "POST"]
            )
        }
        guard MCPHTTP.Accept(request.headers[.accept]).eventStream else {
            return MCPHTTP.error(.notAcceptable, code: MCPHTTP.Code.invalidRequest, "Accept must allow text/event-stream.")
        }
        if let refusal = Self.checkProtocolVersion(request.headers[MCPHTTP.protocolVersion], id: nil) { return refusal }
        guard let id = request.headers[MCPHTTP.sessionID] else {
            return MCPHTTP.error(.badRequest, code: MCPHTTP.Code.invalidRequest, "Missing Mcp-Session-Id header.")
        }
        guard let session = await self.service.registry.session(id), session.belongs(to: principal) else {
            return Self.unknownSession(id: nil)
        }
        let router = session.transport.router
        guard let stream = router.openStandalone() else {
            return MCPHTTP.error(.conflict, code: MCPHTTP.Code.invalidRequest, "This session already has an open GET stream.")
        }
        // The HTTP server drains open requests before the MCP service stops, so a GET stream that
        // never ends would hold shutdown up: end it as soon as shutdown begins.
        return Self.eventStream(stream, session: session) { router.closeStandalone() }
    }

    func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard !self.service.stateless else {
            return MCPHTTP.error(
                .methodNotAllowed,
                code: MCPHTTP.Code.invalidRequest,
                "This server is stateless: there is no session to end.",
                headers: [.allow: "POST"]
            )
        }
        guard let id = request.headers[MCPHTTP.sessionID] else {
            return MCPHTTP.error(.badRequest, code: MCPHTTP.Code.invalidRequest, "Missing Mcp-Session-Id header.")
        }
        guard let session = await self.service.registry.session(id), session.belongs(to: principal) else {
            return Self.unknownSession(id: nil)
        }
        await self.service.registry.close(session.id)
        return Response(status: .ok, headers: [MCPHTTP.sessionID: session.id])
    }

    /// 400 for an `MCP-Protocol-Version` this server does not speak; `nil` when absent or supported.
    static func checkProtocolVersion(_ version: String?, id: JSONValue?) -> Response? {
        guard let version, !Version.supported.contains(version) else { return nil }
        let supported = Version.supported.sorted(by: >)
        return MCPHTTP.error(
            .badRequest,
            code: MCPHTTP.Code.unsupportedProtocolVersion,
            "Unsupported MCP-Protocol-Version '\(version)'. Supported: \(supported.joined(separator: ", ")).",
            id: id,
            data: ["supported": .array(supported.map(JSONValue.string)), "requested": .string(version)]
        )
    }

    static func unknownSession(id: JSONValue?) -> Response {
        MCPHTTP.error(
            .notFound,
            code: MCPHTTP.Code.sessionNotFound,
            "Session not found: it ended or never existed. Start a new one with initialize.",
            id: id
        )
    }

    static func response(_ reply: MCPHTTPTransport.PostReply, message: MCPMessage, session: MCPHTTPSession?) -> Response {
        var headers: HTTPFields = [:]
        if let session { headers[MCPHTTP.sessionID] = session.id }
        switch reply {
        case .accepted:
            return Response(status: .accepted, headers: headers)
        case .json(let data):
            headers[.contentType] = MCPHTTP.json
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        case .stream(let stream):
            return Self.eventStream(stream, session: session)
        case .duplicateID:
            return MCPHTTP.error(
                .badRequest,
                code: MCPHTTP.Code.invalidRequest,
                "A request with this id is already in flight.",
                id: message.id,
                headers: headers
            )
        case .ended:
            if let session, session.transport.router.isClosed { return Self.unknownSession(id: message.id) }
            return MCPHTTP.error(.ok, code: MCPHTTP.Code.requestCancelled, "Request cancelled.", id: message.id, headers: headers)
        }
    }

    static func eventStream(
        _ stream: AsyncStream<ByteBuffer>,
        session: MCPHTTPSession?,
        onShutdown: (@Sendable () -> Void)? = nil
    ) -> Response {
        var headers: HTTPFields = [.contentType: MCPHTTP.eventStream, .cacheControl: "no-cache, no-transform"]
        if let session { headers[MCPHTTP.sessionID] = session.id }
        guard let onShutdown else { return Response(status: .ok, headers: headers, body: .init(asyncSequence: stream)) }
        let body = ResponseBody { writer in
            try await withGracefulShutdownHandler {
                for await buffer in stream { try await writer.write(buffer) }
            } onGracefulShutdown: {
                onShutdown()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
