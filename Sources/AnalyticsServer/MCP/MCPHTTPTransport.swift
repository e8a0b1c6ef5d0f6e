import AnalyticsCore
import Foundation
import Logging
import MCP
import NIOCore

/// The swift-sdk `Transport` of one Streamable HTTP session: the HTTP side hands it client
/// messages, and what the SDK server sends goes through ``MCPStreamRouter`` to the right exchange.
///
/// Unlike the SDK's HTTP transports, it answers requests that need no streaming with plain
/// `application/json`, keeps no unbounded replay buffer, and sends progress on the request's own
/// stream; the stateless mode uses it too, so notifications are never silently dropped there.
actor MCPHTTPTransport: Transport {
    nonisolated let logger: Logger
    nonisolated let router: MCPStreamRouter
    let incoming: AsyncThrowingStream<Data, any Error>
    let incomingContinuation: AsyncThrowingStream<Data, any Error>.Continuation

    /// How a POSTed message was answered.
    enum PostReply: Sendable {
        /// A notification or response was accepted (202).
        case accepted
        case json(Data)
        case stream(AsyncStream<ByteBuffer>)
        /// The request id is already in flight in this session.
        case duplicateID
        /// The session ended, or the request was cancelled, before a response.
        case ended
    }

    /// - Parameter singleRequest: the session serves one request (stateless mode) and ends itself
    ///   once that request is answered.
    init(logger: Logger, singleRequest: Bool = false) {
        self.logger = logger
        let (incoming, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        self.incoming = incoming
        self.incomingContinuation = continuation
        if singleRequest {
            self.router = MCPStreamRouter(onDrained: { continuation.finish() })
        } else {
            self.router = MCPStreamRouter()
        }
    }

    func connect() async throws {}

    func disconnect() async {
        self.close()
    }

    func send(_ data: Data) async throws {
        self.router.route(data)
    }

    func receive() -> AsyncThrowingStream<Data, any Error> {
        self.incoming
    }

    /// Passes one client message to the server and waits for what answers it: nothing for a
    /// notification or response, else the response as JSON or (with `stream`) an SSE stream.
    ///
    /// With `cancelOnDisconnect` (stateless mode, where no later request can carry a
    /// `notifications/cancelled`), a client that goes away before the response cancels the work.
    nonisolated func post(_ body: Data, message: MCPMessage, stream: Bool, cancelOnDisconnect: Bool = false) async -> PostReply {
        self.router.touch()
        guard case .request = message.kind, let id = message.idKey else {
            if let cancelled = message.cancelledKey { self.router.cancel(id: cancelled) }
            self.incomingContinuation.yield(body)
            return .accepted
        }
        let rawID = message.id
        var abandon: (@Sendable () -> Void)?
        if cancelOnDisconnect {
            abandon = { @Sendable [weak self] in self?.abandon(id: id, rawID: rawID) }
        }
        if stream {
            guard let sse = self.router.expectStream(id: id, progress: message.progressKey, onAbandoned: abandon) else {
                return self.router.isClosed ? .ended : .duplicateID
            }
            self.incomingContinuation.yield(body)
            return .stream(sse)
        }
        var registered = true
        let response: Data? = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                registered = self.router.expectJSON(id: id, progress: message.progressKey, continuation: continuation)
                if registered {
                    self.incomingContinuation.yield(body)
                } else {
                    continuation.resume(returning: nil)
                }
            }
        } onCancel: { [abandon] in
            abandon?()
        }
        guard registered else { return self.router.isClosed ? .ended : .duplicateID }
        return response.map(PostReply.json) ?? .ended
    }

    /// Answers request `message` with what `compute` returns, instead of passing it to the SDK server
    /// (see ``AnalyticsMCPServer/toolCallResponse(id:params:session:)``). The request is registered
    /// like any other, so a duplicate id is refused, `notifications/cancelled` for it — or the session
    /// ending — stops `compute`, and the session counts as busy while it runs.
    nonisolated func answer(_ message: MCPMessage, _ compute: @escaping @Sendable () async -> Data?) async -> PostReply {
        self.router.touch()
        guard let id = message.idKey else { return .accepted }
        var registered = true
        let response: Data? = await withTaskGroup(of: Void.self) { group in
            let response = await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    registered = self.router.expectJSON(id: id, progress: nil, continuation: continuation)
                    guard registered else { return continuation.resume(returning: nil) }
                    group.addTask {
                        if let data = await compute() { self.router.route(data) } else { self.router.cancel(id: id) }
                    }
                }
            } onCancel: {
                self.router.cancel(id: id)
            }
            group.cancelAll()
            return response
        }
        guard registered else { return self.router.isClosed ? .ended : .duplicateID }
        return response.map(PostReply.json) ?? .ended
    }

    /// The client left before request `id` was answered: tell the server to stop, as a client's
    /// `notifications/cancelled` would, and end the exchange.
    nonisolated func abandon(id: String, rawID: JSONValue?) {
        guard let rawID else { return }
        let notification: JSONValue = [
            "jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": rawID, "reason": "client disconnected"],
        ]
        self.incomingContinuation.yield(notification.serializedData())
        self.router.cancel(id: id)
    }

    /// Ends the session's exchanges and the server's message loop.
    nonisolated func close() {
        self.router.close()
        self.incomingContinuation.finish()
    }
}
