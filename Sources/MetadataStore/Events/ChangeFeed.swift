import AnalyticsCore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Delivers the store's change events, in id order, to subscribers in this process — including
/// events written by other processes sharing the store.
///
/// At start the feed remembers the latest event id, then reads `events(after:)` whenever it wakes:
/// every ``pollInterval``, on `poke()` (this process just wrote), and on PostgreSQL whenever
/// `LISTEN mcpa_events` reports a commit elsewhere. Polling alone already makes it work across
/// processes on one SQLite file; `LISTEN` only makes delivery immediate. Subscribers that fall
/// behind keep up to ``bufferLimit`` undelivered events (the oldest are dropped beyond that).
public final class ChangeFeed: Service {
    /// How often the feed reads new events when nothing wakes it sooner.
    public let pollInterval: Duration
    /// Events buffered per subscriber.
    public let bufferLimit: Int
    let store: any MetadataStore
    let logger: Logger
    let state: Mutex<State>
    let wakeups: AsyncStream<Void>
    let wake: AsyncStream<Void>.Continuation

    struct State {
        var nextSubscriberID = 0
        var subscribers: [Int: AsyncStream<ChangeEvent>.Continuation] = [:]
        var lastID: Int64?
        var readyWaiters: [CheckedContinuation<Void, Never>] = []
        var finished = false
    }

    public init(store: any MetadataStore, pollInterval: Duration = .milliseconds(500), bufferLimit: Int = 1_000, logger: Logger) {
        self.store = store
        self.pollInterval = pollInterval
        self.bufferLimit = max(bufferLimit, 1)
        var logger = logger
        logger[metadataKey: "mcpa.component"] = "change-feed"
        self.logger = logger
        self.state = Mutex(State())
        (self.wakeups, self.wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// A stream of events appended after the feed started; it ends when the feed stops.
    public func subscribe() -> AsyncStream<ChangeEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ChangeEvent.self,
            bufferingPolicy: .bufferingNewest(self.bufferLimit)
        )
        let id: Int? = self.state.withLock { state in
            guard !state.finished else { return nil }
            let id = state.nextSubscriberID
            state.nextSubscriberID += 1
            state.subscribers[id] = continuation
            return id
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Reads new events now rather than at the next poll; call it after this process writes.
    public func poke() {
        self.wake.yield()
    }

    /// Returns once the feed has recorded its starting position, so events appended afterwards
    /// are certain to be delivered.
    public func ready() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isReady = self.state.withLock { state in
                if state.lastID != nil || state.finished { return true }
                state.readyWaiters.append(continuation)
                return false
            }
            if isReady { continuation.resume() }
        }
    }

    /// Polls (and listens, where the store supports it) until graceful shutdown or cancellation.
    /// While the store cannot be reached at start, it retries every second.
    public func run() async throws {
        defer { self.finish() }
        await cancelWhenGracefulShutdown {
            guard let start = await self.startingPosition() else { return }
            let waiters = self.state.withLock { state in
                state.lastID = start
                defer { state.readyWaiters.removeAll() }
                return state.readyWaiters
            }
            for waiter in waiters { waiter.resume() }
            self.logger.debug("Change feed started.", metadata: ["mcpa.event.start": "\(start)"])
            await withDiscardingTaskGroup { group in
                group.addTask { await self.tick() }
                if let source = self.store as? any ChangeNotificationSource {
                    group.addTask { await self.listen(to: source) }
                }
                await self.deliverOnWake()
                group.cancelAll()
            }
        }
    }

    /// The latest event id, retried until the store answers; `nil` once cancelled.
    private func startingPosition() async -> Int64? {
        while !Task.isCancelled {
            do {
                return try await self.store.latestEventID()
            } catch {
                if Task.isCancelled { return nil }
                self.logger.warning("Cannot read the latest change event yet; retrying in a second.")
            }
            do {
                try await Task.sleep(for: .seconds(1))
            } catch {
                return nil
            }
        }
        return nil
    }

    private func deliverOnWake() async {
        for await _ in self.wakeups {
            if Task.isCancelled { return }
            await self.deliverNewEvents()
        }
    }

    private func tick() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: self.pollInterval)
            } catch {
                return
            }
            self.wake.yield()
        }
    }

    private func listen(to source: any ChangeNotificationSource) async {
        while !Task.isCancelled {
            do {
                try await source.listenForChanges { [wake] in wake.yield() }
            } catch {
                self.logger.warning("Change notifications interrupted; relying on polling until they resume.")
            }
            do {
                try await Task.sleep(for: .seconds(1))
            } catch {
                return
            }
        }
    }

    /// Reads every event after the last delivered one and fans it out, in id order.
    private func deliverNewEvents() async {
        guard let after = self.state.withLock({ $0.lastID }) else { return }
        var cursor = after
        do {
            while true {
                let events = try await self.store.events(after: cursor, limit: 500)
                guard let last = events.last else { break }
                let subscribers = self.state.withLock { state in
                    state.lastID = last.id
                    return Array(state.subscribers.values)
                }
                for event in events {
                    for subscriber in subscribers { subscriber.yield(event) }
                }
                cursor = last.id
                if events.count < 500 { break }
            }
        } catch {
            if Task.isCancelled { return }
            let code = (error as? AnalyticsError)?.code.rawValue ?? "unknown"
            self.logger.warning("Reading change events failed; retrying at the next wake-up.", metadata: ["mcpa.error.code": "\(code)"])
        }
    }

    private func finish() {
        let (subscribers, waiters) = self.state.withLock { state in
            state.finished = true
            defer {
                state.subscribers.removeAll()
                state.readyWaiters.removeAll()
            }
            return (Array(state.subscribers.values), state.readyWaiters)
        }
        for subscriber in subscribers { subscriber.finish() }
        for waiter in waiters { waiter.resume() }
        self.wake.finish()
    }
}
