import Synchronization

/// A mutex-protected value that closures and child tasks can share (a `Mutex` itself cannot be
/// captured by escaping closures).
final class LockedBox<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) {
        self.mutex = Mutex(value)
    }

    var value: Value {
        self.mutex.withLock { $0 }
    }

    func set(_ value: Value) {
        self.mutex.withLock { $0 = value }
    }

    func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T {
        self.mutex.withLock { body(&$0) }
    }
}
