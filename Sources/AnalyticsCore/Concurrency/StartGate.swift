/// A one-way gate tasks wait at until something is ready: background services wait for the store
/// to be migrated (so a worker on a fresh database never claims from a table that does not exist
/// yet), queries for a connector's pool to run. Waiting is cancellable.
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
