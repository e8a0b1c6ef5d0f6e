import AnalyticsCore
import Foundation
import Logging
import ServiceLifecycle

extension QueryLogWriter {
    /// Writes queued entries until graceful shutdown (or cancellation), purging expired entries
    /// alongside; then drains the queue and stops.
    public func run() async throws {
        let start = self.state.withLock { state -> Bool in
            guard state.phase == .idle else { return false }
            state.phase = .running
            return true
        }
        guard start else { return }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.purgeLoop() }
                for await _ in self.wakeups {
                    await self.gather()
                    await self.writeQueued()
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.state.withLock { state in
                if state.phase == .running { state.phase = .draining }
            }
            self.wake.finish()
        }
        await self.drain()
    }

    /// Deletes entries older than the retention period; returns how many.
    @discardableResult
    public func purgeExpired(now: Date = Date()) async throws -> Int {
        let cutoff = now.addingTimeInterval(-Double(self.configuration.retentionDays) * 86_400)
        let purged = try await self.store.purgeQueryLog(before: cutoff)
        if purged > 0 {
            self.logger.info(
                "purged expired query log entries",
                metadata: ["mcpa.query_log.purged": "\(purged)", "mcpa.query_log.retention_days": "\(self.configuration.retentionDays)"]
            )
        }
        return purged
    }

    /// Purges a little after start (the store may still be migrating), then every interval.
    private func purgeLoop() async {
        var pause = min(self.configuration.purgeInterval, .seconds(60))
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: pause)
            } catch {
                return
            }
            pause = self.configuration.purgeInterval
            do {
                try await self.purgeExpired()
            } catch {
                if Task.isCancelled { return }
                self.logger.warning(
                    "query log purge failed; retrying at the next interval",
                    metadata: ["mcpa.error.code": "\((error as? AnalyticsError)?.code.rawValue ?? "unknown")"]
                )
            }
        }
    }

    /// Waits the batch delay for more entries, unless a batch is already full, a flush is waiting
    /// or shutdown has begun (a flush arriving meanwhile waits at most the delay).
    private func gather() async {
        let ready = self.state.withLock { state in
            state.queue.count >= self.configuration.batchSize || !state.flushWaiters.isEmpty || state.phase != .running
        }
        guard !ready, self.configuration.batchDelay > .zero else { return }
        try? await Task.sleep(for: self.configuration.batchDelay)
    }

    /// Writes until the queue is empty, retrying failures with backoff; gives up (leaving the queue
    /// for ``drain()``) when shutdown starts or the task is cancelled.
    private func writeQueued() async {
        var delay = self.configuration.retryDelay
        while true {
            let batch = self.state.withLock { Array($0.queue.prefix(self.configuration.batchSize)) }
            guard !batch.isEmpty else { return }
            do {
                try await self.store.appendQueryLog(batch)
                self.written(batch.count)
                delay = self.configuration.retryDelay
            } catch {
                let stopping = self.state.withLock { state -> Bool in
                    state.failedWrites += 1
                    return state.phase != .running
                }
                if Task.isCancelled || stopping { return }
                self.logger.warning(
                    "query log write failed; retrying",
                    metadata: [
                        "mcpa.error.code": "\((error as? AnalyticsError)?.code.rawValue ?? "unknown")",
                        "mcpa.query_log.queued": "\(self.statistics.queued)",
                        "mcpa.retry_in": "\(delay)",
                    ]
                )
                do {
                    try await Task.sleep(for: delay)
                } catch {
                    return
                }
                delay = min(delay * 2, self.configuration.maximumRetryDelay)
            }
        }
    }

    /// Final drain on shutdown: retries for up to the shutdown window, then stops the writer and
    /// answers every waiter.
    private func drain() async {
        let deadline = ContinuousClock.now + self.configuration.shutdownFlushTimeout
        var failures = 0
        while true {
            let batch = self.state.withLock { Array($0.queue.prefix(self.configuration.batchSize)) }
            if batch.isEmpty { break }
            do {
                try await self.store.appendQueryLog(batch)
                self.written(batch.count)
            } catch {
                failures += 1
                if Task.isCancelled || ContinuousClock.now >= deadline { break }
                try? await Task.sleep(for: min(self.configuration.retryDelay * failures, .seconds(1)))
            }
        }
        let (left, flushers, roomers) = self.state.withLock { state in
            state.phase = .stopped
            defer {
                state.flushWaiters = []
                state.roomWaiters = [:]
            }
            return (state.queue.count, state.flushWaiters, Array(state.roomWaiters.values))
        }
        if left > 0 {
            self.logger.error(
                "query log entries could not be written before shutdown",
                metadata: ["mcpa.query_log.lost": "\(left)", "mcpa.query_log.failed_writes": "\(failures)"]
            )
        }
        for waiter in flushers {
            if left == 0 { waiter.continuation.resume() } else { waiter.continuation.resume(throwing: Self.unwritten(left)) }
        }
        for waiter in roomers { waiter.resume() }
    }

    /// Removes `count` written entries from the head of the queue and answers the waiters they satisfy.
    private func written(_ count: Int) {
        let (flushers, roomers) = self.state.withLock { state -> ([FlushWaiter], [CheckedContinuation<Void, any Error>]) in
            state.queue.removeFirst(count)
            state.written += UInt64(count)
            let written = state.written
            let done = state.flushWaiters.filter { $0.target <= written }
            state.flushWaiters.removeAll { $0.target <= written }
            guard state.queue.count < self.configuration.capacity else { return (done, []) }
            defer { state.roomWaiters = [:] }
            return (done, Array(state.roomWaiters.values))
        }
        for waiter in flushers { waiter.continuation.resume() }
        for waiter in roomers { waiter.resume() }
    }
}
