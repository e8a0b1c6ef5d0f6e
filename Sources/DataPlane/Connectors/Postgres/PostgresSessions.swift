import PostgresNIO

/// What the connector knows about each pooled connection's session: its backend's process id (to
/// cancel a statement from a side connection) and the `statement_timeout` it runs under.
///
/// Every connection starts read-only, with the dataset's statement timeout and standard-conforming
/// strings (startup parameters, see ``PostgresConnector``), so the steady state of a query is one
/// round trip. The first lease of a connection learns its process id, and a call that needs a longer
/// timeout than the session has raises it; a shorter one is enforced by the client-side deadline
/// instead, so calls with different timeouts do not keep resetting the session.
///
/// Keyed by the pool's connection id, which is never reused; entries of connections that have closed
/// are dropped once the table holds more than ``capacity`` (a dropped live connection is learned again).
struct PostgresSessions: Sendable {
    struct Session: Sendable, Hashable {
        var backendPID: Int32
        var statementTimeoutMs: Int64
    }

    let capacity: Int
    private let known = LockedBox<[PostgresConnection.ID: Session]>([:])

    init(capacity: Int) {
        self.capacity = max(4, capacity)
    }

    func session(of connection: PostgresConnection) -> Session? {
        self.known.withLock { $0[connection.id] }
    }

    func remember(_ session: Session, for connection: PostgresConnection) {
        self.known.withLock { known in
            known[connection.id] = session
            if known.count > self.capacity, let oldest = known.keys.min() { known[oldest] = nil }
        }
    }
}
