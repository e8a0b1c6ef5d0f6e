import AnalyticsCore
import Synchronization

/// An async semaphore that bounds how many queries run at once on one dataset.
///
/// Callers beyond the limit wait in FIFO order without holding a thread; a waiting caller whose
/// task is cancelled leaves the queue at once with `QUERY_CANCELLED`. Closing the gate fails every
/// waiter and refuses new callers, and ``waitUntilIdle()`` lets a closing connector finish its
/// in-flight queries before it tears its pool down.
final class ConcurrencyGate: Sendable {
    struct Closed: Error {}

    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var available: Int
        var inUse = 0
        var nextID: UInt64 = 0
        var waiters: [Waiter] = []
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        var closed = false
    }

    let limit: Int
    private let state: Mutex<State>

    init(limit: Int) {
        self.limit = max(1, limit)
        self.state = Mutex(State(available: max(1, limit)))
    }

    /// Queries holding a slot right now.
    var inUse: Int { self.state.withLock { $0.inUse } }

    /// Callers waiting for a slot right now.
    var waiting: Int { self.state.withLock { $0.waiters.count } }

    /// Waits for a slot; throws `CancellationError` if the task is cancelled first, `Closed` after ``close()``.
    func acquire() async throws {
        let id = self.state.withLock { state -> UInt64 in
            state.nextID &+= 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Action {
                    case resume
                    case fail(any Error)
                    case wait
                }
                let action = self.state.withLock { state -> Action in
                    if state.closed { return .fail(Closed()) }
                    if Task.isCancelled { return .fail(CancellationError()) }
                    if state.available > 0 {
                        state.available -= 1
                        state.inUse += 1
                        return .resume
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return .wait
                }
                switch action {
                case .resume: continuation.resume()
                case .fail(let error): continuation.resume(throwing: error)
                case .wait: break
                }
            }
        } onCancel: {
            let waiter = self.state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Returns a slot: hands it to the next waiter, or frees it.
    func release() {
        enum Action {
            case handOver(Waiter)
            case idle([CheckedContinuation<Void, Never>])
            case none
        }
        let action = self.state.withLock { state -> Action in
            if !state.waiters.isEmpty {
                return .handOver(state.waiters.removeFirst())
            }
            state.inUse -= 1
            state.available += 1
            if state.inUse == 0, !state.idleWaiters.isEmpty {
                defer { state.idleWaiters = [] }
                return .idle(state.idleWaiters)
            }
            return .none
        }
        switch action {
        case .handOver(let waiter): waiter.continuation.resume()
        case .idle(let continuations): for continuation in continuations { continuation.resume() }
        case .none: break
        }
    }

    /// Refuses new callers and fails the waiting ones; running queries keep their slots.
    func close() {
        let waiters = self.state.withLock { state -> [Waiter] in
            state.closed = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.continuation.resume(throwing: Closed()) }
    }

    var isClosed: Bool { self.state.withLock { $0.closed } }

    /// Returns once no query holds a slot.
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = self.state.withLock { state -> Bool in
                if state.inUse == 0 { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }
}
