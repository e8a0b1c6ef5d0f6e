import AnalyticsCore
import Foundation
import Logging
import MetadataStore
import ServiceLifecycle
import Synchronization

/// Writes the query log (DESIGN §5.5) off the hot path, in batches, without losing entries.
///
/// ``record(_:)`` only appends to an in-memory queue and wakes the writer, so a query never waits
/// for the store. The writer (``run()``) lets entries gather for ``Configuration/batchDelay`` and
/// writes up to ``Configuration/batchSize`` per `appendQueryLog` call; whatever arrives while one
/// write is in flight goes into the next. Appends are idempotent by entry id, so a failed write is
/// simply retried with backoff, oldest entries first.
///
/// **Never dropped, bounded memory.** When the store stays unreachable, the queue grows to
/// ``Configuration/capacity``; beyond that ``admit()`` — which the engine awaits before running a
/// query — makes new queries wait for room and, after ``Configuration/admissionTimeout``, refuses
/// them with `STORE_UNAVAILABLE`. The server thus stops answering rather than answering unaudited.
/// The queue can exceed the capacity only by the queries already admitted.
///
/// **Shutdown.** On graceful shutdown the writer drains the queue (retrying for up to
/// ``Configuration/shutdownFlushTimeout``) before ``run()`` returns; register it after the store and
/// before anything that records, so it stops after them and before the store. Only entries the
/// store still refuses at the end of that window, or recorded after shutdown, are lost, and both
/// are logged as errors with their count.
///
/// **Retention.** ``run()`` also deletes entries older than ``Configuration/retentionDays`` at
/// start and every ``Configuration/purgeInterval``; replicas sharing a store may all do it.
public final class QueryLogWriter: Service, Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Entries per `appendQueryLog` call at most.
        public var batchSize: Int
        /// How long the writer lets entries gather after the first one arrives, so a steady stream
        /// of queries costs one store write per interval rather than one per query. A ``flush()``
        /// or a full batch cuts it short.
        public var batchDelay: Duration
        /// Entries queued before ``QueryLogWriter/admit()`` makes callers wait.
        public var capacity: Int
        /// How long ``QueryLogWriter/admit()`` waits for room before refusing.
        public var admissionTimeout: Duration
        /// Days entries are kept (DESIGN §5.5: at least 90 by default).
        public var retentionDays: Int
        /// How often expired entries are purged.
        public var purgeInterval: Duration
        /// First and largest pause between retries of a failed write.
        public var retryDelay: Duration
        public var maximumRetryDelay: Duration
        /// How long a graceful shutdown keeps retrying to drain the queue.
        public var shutdownFlushTimeout: Duration

        public init(
            batchSize: Int = 500,
            batchDelay: Duration = .milliseconds(50),
            capacity: Int = 20_000,
            admissionTimeout: Duration = .seconds(10),
            retentionDays: Int = 90,
            purgeInterval: Duration = .seconds(3_600),
            retryDelay: Duration = .milliseconds(200),
            maximumRetryDelay: Duration = .seconds(5),
            shutdownFlushTimeout: Duration = .seconds(15)
        ) {
            self.batchSize = max(1, batchSize)
            self.batchDelay = max(.zero, batchDelay)
            self.capacity = max(1, capacity)
            self.admissionTimeout = max(.zero, admissionTimeout)
            self.retentionDays = max(1, retentionDays)
            self.purgeInterval = max(.milliseconds(10), purgeInterval)
            self.retryDelay = max(.milliseconds(1), retryDelay)
            self.maximumRetryDelay = max(self.retryDelay, maximumRetryDelay)
            self.shutdownFlushTimeout = max(.zero, shutdownFlushTimeout)
        }
    }

    /// A point-in-time view for metrics, health and tests.
    public struct Statistics: Sendable, Hashable {
        /// Entries recorded since start.
        public var recorded: Int
        /// Entries the store has accepted.
        public var written: Int
        /// Entries waiting to be written.
        public var queued: Int
        /// Writes that failed and were retried.
        public var failedWrites: Int
    }

    enum Phase {
        case idle
        case running
        case draining
        case stopped
    }

    struct FlushWaiter {
        var id: UInt64
        var target: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    struct State {
        var queue: [QueryLogEntry] = []
        var recorded: UInt64 = 0
        var written: UInt64 = 0
        var failedWrites = 0
        var phase = Phase.idle
        var nextWaiterID: UInt64 = 0
        var flushWaiters: [FlushWaiter] = []
        var roomWaiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
    }

    public let configuration: Configuration
    let store: any QueryLogStore
    let logger: Logger
    let state = Mutex(State())
    let wakeups: AsyncStream<Void>
    let wake: AsyncStream<Void>.Continuation

    public init(store: any QueryLogStore, configuration: Configuration = Configuration(), logger: Logger) {
        self.store = store
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "mcpa.component"] = "query-log"
        self.logger = logger
        (self.wakeups, self.wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues one entry for writing; returns at once and never fails.
    public func record(_ entry: QueryLogEntry) {
        let accepted = self.state.withLock { state -> Bool in
            guard state.phase != .stopped else { return false }
            state.queue.append(entry)
            state.recorded += 1
            return true
        }
        if accepted {
            self.wake.yield()
        } else {
            self.logger.error(
                "query log entry recorded after the writer stopped; it is not written",
                metadata: ["mcpa.query.id": "\(entry.id)", "mcpa.tool": "\(entry.tool)"]
            )
        }
    }

    /// Returns at once while the queue has room; otherwise waits for the writer to catch up, and
    /// throws `STORE_UNAVAILABLE` after ``Configuration/admissionTimeout`` (see the type's notes).
    public func admit() async throws {
        let hasRoom = self.state.withLock { $0.queue.count < self.configuration.capacity || $0.phase == .stopped }
        if hasRoom { return }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.waitForRoom() }
            group.addTask {
                try await Task.sleep(for: self.configuration.admissionTimeout)
                throw AnalyticsError(
                    .storeUnavailable,
                    "The query log cannot be written right now, so queries are refused rather than run unaudited.",
                    hint: "Retry shortly; an operator should check the metadata store."
                )
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Returns once every entry recorded before the call has been written (or throws when the
    /// writer stopped with entries it could not write). Needs ``run()`` to be running or to start.
    public func flush() async throws {
        let id = self.state.withLock { state -> UInt64 in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Action {
                    case done
                    case fail(Int)
                    case wait
                }
                let action = self.state.withLock { state -> Action in
                    if state.written >= state.recorded { return .done }
                    if state.phase == .stopped { return .fail(state.queue.count) }
                    if Task.isCancelled { return .fail(-1) }
                    state.flushWaiters.append(FlushWaiter(id: id, target: state.recorded, continuation: continuation))
                    return .wait
                }
                switch action {
                case .done: continuation.resume()
                case .fail(let left) where left < 0: continuation.resume(throwing: CancellationError())
                case .fail(let left): continuation.resume(throwing: Self.unwritten(left))
                case .wait: self.wake.yield()
                }
            }
        } onCancel: {
            let waiter = self.state.withLock { state -> FlushWaiter? in
                guard let index = state.flushWaiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.flushWaiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// ``flush()`` bounded in time: true when everything recorded before the call was written
    /// within `timeout`. For readers that want their own recent entries but must not hang on an
    /// unreachable store.
    public func flush(within timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await self.flush()) != nil }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            defer { group.cancelAll() }
            return await group.next() ?? false
        }
    }

    public var statistics: Statistics {
        self.state.withLock { state in
            Statistics(
                recorded: Int(state.recorded),
                written: Int(state.written),
                queued: state.queue.count,
                failedWrites: state.failedWrites
            )
        }
    }

    static func unwritten(_ count: Int) -> AnalyticsError {
        AnalyticsError(
            .storeUnavailable,
            "\(count) query log entries could not be written before the writer stopped.",
            hint: "An operator should check the metadata store; the server log names the failures."
        )
    }

    private func waitForRoom() async throws {
        let id = self.state.withLock { state -> UInt64 in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Action {
                    case resume
                    case cancel
                    case wait
                }
                let action = self.state.withLock { state -> Action in
                    if state.queue.count < self.configuration.capacity || state.phase == .stopped { return .resume }
                    if Task.isCancelled { return .cancel }
                    state.roomWaiters[id] = continuation
                    return .wait
                }
                switch action {
                case .resume: continuation.resume()
                case .cancel: continuation.resume(throwing: CancellationError())
                case .wait: break
                }
            }
        } onCancel: {
            let waiter = self.state.withLock { $0.roomWaiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
