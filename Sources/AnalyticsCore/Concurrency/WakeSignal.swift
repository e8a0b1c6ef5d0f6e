import Synchronization

/// Wakes waiting tasks: a counter that `fire()` advances, and waiters that return once it moved past
/// the value they remember — so a wake-up that arrives between "nothing to do" and "wait" is never
/// lost. `close()` makes every present and future wait return at once.
///
/// Waits end early when the waiting task is cancelled.
public final class WakeSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var closed = false
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// The current generation: pass it to ``wait(after:)``.
    public var generation: UInt64 { self.state.withLock { $0.generation } }

    public var isClosed: Bool { self.state.withLock { $0.closed } }

    public func fire() {
        let waiters = self.state.withLock { state in
            state.generation &+= 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    public func close() {
        self.state.withLock { $0.closed = true }
        self.fire()
    }

    /// Returns when the generation moved past `generation`, the signal closed, or the task is cancelled.
    public func wait(after generation: UInt64) async {
        let id = self.state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = self.state.withLock { state -> Bool in
                    if state.closed || state.generation != generation || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = self.state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }

    /// Like ``wait(after:)``, but returns after `timeout` at the latest.
    public func wait(after generation: UInt64, timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { await self.wait(after: generation) }
            await group.next()
            group.cancelAll()
        }
    }
}
