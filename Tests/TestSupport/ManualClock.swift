import Synchronization

/// A clock the test moves by hand.
public final class ManualClock: Sendable {
    private let current = Mutex(ContinuousClock.now)

    public init() {}

    public var now: ContinuousClock.Instant { self.current.withLock { $0 } }

    public func advance(by duration: Duration) {
        self.current.withLock { $0 = $0 + duration }
    }
}
