import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP server on `127.0.0.1` that speaks the OpenAI Chat Completions and Embeddings API,
/// with scripted answers: the only fake the test suites allow (the external LLM provider).
///
/// Each endpoint has a queue of ``FakeOpenAIReply`` values consumed one per request and a default
/// reply used when the queue is empty. Every request is recorded (``requests``) with its body,
/// headers and arrival time, so tests assert on what the client actually sent, and on the spacing
/// of retries, without timing the client itself.
///
/// ```swift
/// let server = try await FakeOpenAIServer.start()
/// server.enqueue(.status(429, retryAfter: "1"), .content(#"{"ok": true}"#))
/// // … point the client at server.baseURL …
/// try await server.stop()
/// ```
public final class FakeOpenAIServer: Sendable {
    /// The ephemeral port the server listens on.
    public let port: Int
    let serverChannel: any Channel
    let state: FakeOpenAIState

    init(port: Int, serverChannel: any Channel, state: FakeOpenAIState) {
        self.port = port
        self.serverChannel = serverChannel
        self.state = state
    }

    /// The API root to configure the client with, e.g. `http://127.0.0.1:54321/v1`.
    public var baseURL: String { "http://127.0.0.1:\(self.port)/v1" }

    /// Binds a new server to an ephemeral loopback port.
    public static func start() async throws -> FakeOpenAIServer {
        let state = FakeOpenAIState()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(FakeOpenAIHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw FakeOpenAIServerError.noPort
        }
        return FakeOpenAIServer(port: port, serverChannel: channel, state: state)
    }

    /// Runs `body` with a started server and stops it afterwards, also when `body` throws.
    public static func withServer<Result>(_ body: (FakeOpenAIServer) async throws -> Result) async throws -> Result {
        let server = try await Self.start()
        do {
            let result = try await body(server)
            try await server.stop()
            return result
        } catch {
            try? await server.stop()
            throw error
        }
    }

    /// Stops listening and closes every open connection.
    public func stop() async throws {
        for channel in self.state.takeConnections() {
            try? await channel.close()
        }
        try await self.serverChannel.close()
    }

    /// Appends replies to the queue of `endpoint` (chat completions by default).
    public func enqueue(_ replies: FakeOpenAIReply..., for endpoint: FakeOpenAIEndpoint = .chatCompletions) {
        self.state.enqueue(replies, for: endpoint)
    }

    /// The reply used once the queue of `endpoint` is empty. Defaults: chat answers `OK`,
    /// embeddings answer deterministic vectors.
    public func setDefaultReply(_ reply: FakeOpenAIReply, for endpoint: FakeOpenAIEndpoint = .chatCompletions) {
        self.state.setDefault(reply, for: endpoint)
    }

    /// Every request received so far, in arrival order.
    public var requests: [FakeOpenAIRequest] { self.state.requests }

    /// The requests received on `endpoint`.
    public func requests(to endpoint: FakeOpenAIEndpoint) -> [FakeOpenAIRequest] {
        self.state.requests.filter { $0.endpoint == endpoint }
    }

    /// Replies still queued for `endpoint`.
    public func pendingReplies(for endpoint: FakeOpenAIEndpoint = .chatCompletions) -> Int {
        self.state.pendingCount(for: endpoint)
    }
}

public enum FakeOpenAIServerError: Error {
    case noPort
}

/// The fake's mutable state, shared by all connections.
final class FakeOpenAIState: Sendable {
    struct Storage {
        var queues: [FakeOpenAIEndpoint: [FakeOpenAIReply]] = [:]
        var defaults: [FakeOpenAIEndpoint: FakeOpenAIReply] = [.chatCompletions: .content("OK"), .embeddings: .embeddings]
        var requests: [FakeOpenAIRequest] = []
        var connections: [ObjectIdentifier: any Channel] = [:]
    }

    private let storage = Mutex(Storage())

    func enqueue(_ replies: [FakeOpenAIReply], for endpoint: FakeOpenAIEndpoint) {
        self.storage.withLock { $0.queues[endpoint, default: []].append(contentsOf: replies) }
    }

    func setDefault(_ reply: FakeOpenAIReply, for endpoint: FakeOpenAIEndpoint) {
        self.storage.withLock { $0.defaults[endpoint] = reply }
    }

    var requests: [FakeOpenAIRequest] { self.storage.withLock { $0.requests } }

    func pendingCount(for endpoint: FakeOpenAIEndpoint) -> Int {
        self.storage.withLock { $0.queues[endpoint]?.count ?? 0 }
    }

    /// Records `request` and returns the reply for it: the next queued one, else the default;
    /// `nil` for an unknown route.
    func receive(_ request: FakeOpenAIRequest) -> FakeOpenAIReply? {
        self.storage.withLock { storage in
            storage.requests.append(request)
            guard let endpoint = request.endpoint else { return nil }
            if var queue = storage.queues[endpoint], !queue.isEmpty {
                let reply = queue.removeFirst()
                storage.queues[endpoint] = queue
                return reply
            }
            return storage.defaults[endpoint]
        }
    }

    func opened(_ channel: any Channel) {
        self.storage.withLock { $0.connections[ObjectIdentifier(channel)] = channel }
    }

    func closed(_ channel: any Channel) {
        _ = self.storage.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func takeConnections() -> [any Channel] {
        self.storage.withLock { storage in
            defer { storage.connections = [:] }
            return Array(storage.connections.values)
        }
    }
}
