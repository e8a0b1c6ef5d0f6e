import Foundation

/// Runs work on a thread of its own with a large stack.
///
/// libpg_query prints and fingerprints parse trees recursively in C, about 370 bytes of stack per
/// level; `1+1+…+1` nests one level per two characters, so 40 kB of such SQL overflow an 8 MiB
/// thread stack and kill the process (measured with libpg_query 15-4.0.0). The guard therefore
/// parses statements longer than ``SQLGuard/inlineLength`` here, where the stack holds any
/// statement up to ``SQLGuard/maximumLength``.
enum LargeStack {
    static let size = 128 << 20

    static func run<Value: Sendable>(_ work: @escaping @Sendable () -> Value) -> Value {
        let box = Box<Value>()
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = work()
            finished.signal()
        }
        thread.stackSize = self.size
        thread.start()
        finished.wait()
        // The semaphore orders the write on the thread before this read.
        guard let value = box.value else { preconditionFailure("the large-stack thread ended without a result") }
        return value
    }

    private final class Box<Value>: @unchecked Sendable {
        var value: Value?
    }
}
