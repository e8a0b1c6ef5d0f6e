import GRDB
import GRDBSQLite
import Synchronization

/// Interrupts one statement on the connection it runs on — and only while it runs there.
///
/// The connector does not let GRDB see task cancellation (GRDB would then refuse to close the
/// read transaction on a connection whose authorizer it no longer owns); it interrupts the
/// statement itself: `sqlite3_interrupt` is called under the same lock that ends the statement's
/// use of the connection, so it can never reach a later caller of that pooled connection.
final class SQLiteInterruptHandle: Sendable {
    enum Reason: Sendable {
        case timeout
        case cancelled
    }

    private struct Connection: @unchecked Sendable {
        var pointer: OpaquePointer
    }

    private struct State: Sendable {
        var connection: Connection?
        var reason: Reason?
        var finished = false
    }

    private let state = Mutex(State())

    /// Why the statement was interrupted, if it was.
    var reason: Reason? { self.state.withLock { $0.reason } }

    /// Marks the statement as running on `connection`; throws if it was interrupted before starting.
    func begin(on connection: OpaquePointer) throws {
        let interrupted = self.state.withLock { state -> Bool in
            guard state.reason == nil else { return true }
            state.connection = Connection(pointer: connection)
            return false
        }
        if interrupted { throw SQLiteStatementRunner.Interrupted() }
    }

    /// Marks the statement as done with its connection.
    func end() {
        self.state.withLock { state in
            state.connection = nil
            state.finished = true
        }
    }

    func interrupt(_ reason: Reason) {
        self.state.withLock { state in
            guard !state.finished, state.reason == nil else { return }
            state.reason = reason
            if let connection = state.connection { sqlite3_interrupt(connection.pointer) }
        }
    }
}
