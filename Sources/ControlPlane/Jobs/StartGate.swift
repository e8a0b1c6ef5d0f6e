/// A one-way gate background services wait at before touching the store: the server opens it
/// once the store is migrated, so a worker on a fresh database never claims from a table that
/// does not exist yet.
public final class StartGate: Sendable {
    private let signal = WakeSignal()

    /// - Parameter open: a gate that is open from the start (tests, CLI commands on a migrated store).
    public init(open: Bool = false) {
        if open { self.signal.close() }
    }

    public func open() {
        self.signal.close()
    }

    public var isOpen: Bool { self.signal.isClosed }

    /// Returns once the gate is open, or when the task is cancelled.
    public func wait() async {
        await self.signal.wait(after: 0)
    }
}
