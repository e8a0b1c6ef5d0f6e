import AnalyticsCore
import Foundation
import NIOCore
import Synchronization

/// Routes one session's outgoing JSON-RPC messages to the HTTP exchange waiting for them.
///
/// - A response goes to the POST that carried its request: as a plain JSON body, or as the last
///   event of that POST's SSE stream.
/// - `notifications/progress` goes to the SSE stream of the request whose progress token it
///   carries, so a client needs no GET stream open to see progress (swift-sdk's own transports send
///   every notification to the GET stream only).
/// - Other server-initiated messages (`list_changed`) go to the session's GET stream, or wait for
///   one (a few, newest kept) when none is open.
///
/// All state sits behind one lock, so stream-termination callbacks can update it synchronously;
/// continuations are resumed and finished only outside it.
final class MCPStreamRouter: Sendable {
    enum Reply: Sendable {
        /// Resumed with the response, or `nil` when the request was cancelled or the session closed.
        case json(CheckedContinuation<Data?, Never>)
        case stream(AsyncStream<ByteBuffer>.Continuation)
    }

    struct State {
        var pending: [String: Reply] = [:]
        /// Progress-token key → request-id key.
        var progressRoutes: [String: String] = [:]
        var standalone: AsyncStream<ByteBuffer>.Continuation?
        var standaloneGeneration = 0
        var waiting: [Data] = []
        var closed = false
        var lastActivity = ContinuousClock.now
    }

    /// Server-initiated messages kept for a GET stream that is not open yet.
    static let waitingLimit = 16
    let state = Mutex(State())
    /// Called once the last in-flight request is answered, for single-request (stateless) sessions.
    let onDrained: (@Sendable () -> Void)?

    init(onDrained: (@Sendable () -> Void)? = nil) {
        self.onDrained = onDrained
    }

    var isClosed: Bool { self.state.withLock { $0.closed } }

    /// Whether the session has nothing in flight and no open stream, and for how long.
    func idleDuration(now: ContinuousClock.Instant) -> Duration? {
        self.state.withLock { state in
            guard state.pending.isEmpty, state.standalone == nil else { return nil }
            return now - state.lastActivity
        }
    }

    func touch() {
        self.state.withLock { $0.lastActivity = .now }
    }

    /// Registers a request awaiting a JSON body; `false` if the id is already in flight.
    func expectJSON(id: String, progress: String?, continuation: CheckedContinuation<Data?, Never>) -> Bool {
        self.register(id: id, progress: progress, reply: .json(continuation))
    }

    /// Registers a request answered on an SSE stream; `nil` if the id is already in flight.
    /// - Parameter onAbandoned: called when the client drops the stream before the response.
    func expectStream(id: String, progress: String?, onAbandoned: (@Sendable () -> Void)? = nil) -> AsyncStream<ByteBuffer>? {
        let (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
        guard self.register(id: id, progress: progress, reply: .stream(continuation)) else {
            continuation.finish()
            return nil
        }
        if let onAbandoned {
            continuation.onTermination = { [weak self] reason in
                guard case .cancelled = reason, let self else { return }
                let pending = self.state.withLock { state -> Bool in
                    guard case .stream = state.pending[id] else { return false }
                    return true
                }
                if pending { onAbandoned() }
            }
        }
        return stream
    }

    private func register(id: String, progress: String?, reply: Reply) -> Bool {
        self.state.withLock { state in
            guard !state.closed, state.pending[id] == nil else { return false }
            state.pending[id] = reply
            if let progress { state.progressRoutes[progress] = id }
            state.lastActivity = .now
            return true
        }
    }

    /// Opens the session's GET stream (one at a time), first delivering what waited for it.
    func openStandalone() -> AsyncStream<ByteBuffer>? {
        let (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
        let generation: Int? = self.state.withLock { state in
            guard !state.closed, state.standalone == nil else { return nil }
            state.standalone = continuation
            state.standaloneGeneration += 1
            state.lastActivity = .now
            for message in state.waiting { continuation.yield(SSE.event(message)) }
            state.waiting.removeAll()
            return state.standaloneGeneration
        }
        guard let generation else {
            continuation.finish()
            return nil
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { state in
                guard state.standaloneGeneration == generation else { return }
                state.standalone = nil
                state.lastActivity = .now
            }
        }
        return stream
    }

    /// Ends the GET stream (the server is shutting down); the session stays usable.
    func closeStandalone() {
        let standalone = self.state.withLock { state -> AsyncStream<ByteBuffer>.Continuation? in
            defer { state.standalone = nil }
            return state.standalone
        }
        standalone?.finish()
    }

    /// Delivers one outgoing message from the server.
    func route(_ data: Data) {
        guard let message = MCPMessage(data) else { return }
        var finished: Reply?
        var drained = false
        self.state.withLock { state in
            switch message.kind {
            case .response:
                guard let id = message.idKey, let reply = state.pending.removeValue(forKey: id) else { return }
                state.progressRoutes = state.progressRoutes.filter { $0.value != id }
                state.lastActivity = .now
                drained = state.pending.isEmpty
                finished = reply
            case .notification where message.progressTokenOfNotification != nil:
                guard let token = message.progressTokenOfNotification, let id = state.progressRoutes[token],
                    case .stream(let continuation) = state.pending[id]
                else { return }
                continuation.yield(SSE.event(data))
            case .notification, .request:
                if let standalone = state.standalone {
                    standalone.yield(SSE.event(data))
                } else {
                    state.waiting.append(data)
                    if state.waiting.count > Self.waitingLimit { state.waiting.removeFirst() }
                }
            }
        }
        switch finished {
        case .json(let continuation): continuation.resume(returning: data)
        case .stream(let continuation):
            continuation.yield(SSE.event(data))
            continuation.finish()
        case nil: break
        }
        if drained { self.onDrained?() }
    }

    /// The client cancelled request `id`: its exchange ends now (the server sends no response).
    func cancel(id: String) {
        let (reply, drained) = self.state.withLock { state -> (Reply?, Bool) in
            state.progressRoutes = state.progressRoutes.filter { $0.value != id }
            let reply = state.pending.removeValue(forKey: id)
            return (reply, reply != nil && state.pending.isEmpty)
        }
        Self.end(reply)
        if drained { self.onDrained?() }
    }

    /// SSE comments that keep idle streams open through proxies and reveal dead connections.
    func keepAlive() {
        self.state.withLock { state in
            state.standalone?.yield(SSE.comment)
            for case .stream(let continuation) in state.pending.values { continuation.yield(SSE.comment) }
        }
    }

    /// Ends every exchange; later requests are refused.
    func close() {
        // Finishing a stream runs its termination handler, which takes the lock: finish outside it.
        let (replies, standalone) = self.state.withLock { state -> ([Reply], AsyncStream<ByteBuffer>.Continuation?) in
            state.closed = true
            defer {
                state.pending.removeAll()
                state.progressRoutes.removeAll()
                state.waiting.removeAll()
                state.standalone = nil
            }
            return (Array(state.pending.values), state.standalone)
        }
        standalone?.finish()
        for reply in replies { Self.end(reply) }
    }

    static func end(_ reply: Reply?) {
        switch reply {
        case .json(let continuation): continuation.resume(returning: nil)
        case .stream(let continuation): continuation.finish()
        case nil: break
        }
    }
}
