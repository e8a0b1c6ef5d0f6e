import AnalyticsCore
import Foundation
import MetadataStore
import TestSupport
import Testing

@Suite("Change feed")
struct ChangeFeedTests {
    /// Runs `feed` while `body` uses it, then cancels it.
    func running<T: Sendable>(_ feed: ChangeFeed, _ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await feed.run() }
            await feed.ready()
            do {
                let result = try await body()
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    /// A write by another store instance (another process) reaches this instance's subscribers.
    @Test(arguments: StoreBackend.allCases)
    func deliversEventsWrittenByAnotherInstance(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let old = try await f.store.appendEvent(kind: ChangeEvent.Kind("before.start"), datasetID: nil, payload: [:])
            let feed = ChangeFeed(store: f.store, pollInterval: .milliseconds(50), logger: testLogger)
            let events = feed.subscribe()
            let delivered = try await self.running(feed) {
                try await f.withSecondStore { other in
                    _ = try await other.createDataset(sampleDataset("remote"), secret: sampleSecret(), actor: "other-process")
                    _ = try await other.transitionDataset(id: "remote", to: .metadataPending, actor: "other-process", note: nil)
                    return try await self.collect(events, count: 2)
                }
            }
            #expect(delivered.map(\.kind) == [.datasetCreated, .datasetTransitioned])
            #expect(delivered.allSatisfy { $0.datasetID == "remote" && $0.id > old.id }, "events from before the start are not replayed")
        }
    }

    /// On PostgreSQL, `LISTEN` wakes the feed: with an hour-long poll interval only a notification
    /// can deliver the event.
    @Test func postgresNotificationsWakeTheFeedWithoutPolling() async throws {
        try await withStore(.postgres) { f in
            let feed = ChangeFeed(store: f.store, pollInterval: .seconds(3600), logger: testLogger)
            let events = feed.subscribe()
            let event = try await self.running(feed) {
                try await f.withSecondStore { other in
                    let written = try await other.appendEvent(kind: ChangeEvent.Kind("remote.write"), datasetID: "x", payload: ["n": 1])
                    let seen = try await waitForEvent(in: events) { $0.kind.rawValue == "remote.write" }
                    return (written, seen)
                }
            }
            #expect(event.1 == event.0)
        }
    }

    /// `poke()` delivers this process's own writes without waiting for a poll.
    @Test(arguments: StoreBackend.allCases)
    func pokeDeliversLocalWritesAtOnce(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let feed = ChangeFeed(store: f.store, pollInterval: .seconds(3600), logger: testLogger)
            let events = feed.subscribe()
            let (written, seen) = try await self.running(feed) {
                let written = try await f.store.appendEvent(kind: ChangeEvent.Kind("local.write"), datasetID: nil, payload: [:])
                feed.poke()
                let seen = try await waitForEvent(in: events) { $0.kind.rawValue == "local.write" }
                return (written, seen)
            }
            #expect(seen == written)
        }
    }

    @Test func subscribersAllReceiveEventsInOrderAndStreamsEndWithTheFeed() async throws {
        try await withStore(.sqlite) { f in
            let feed = ChangeFeed(store: f.store, pollInterval: .milliseconds(20), logger: testLogger)
            let first = feed.subscribe()
            let second = feed.subscribe()
            let (a, b, written) = try await self.running(feed) {
                var written: [Int64] = []
                for index in 0..<5 {
                    written.append(try await f.store.appendEvent(kind: .secretRotated, datasetID: nil, payload: ["i": .int(Int64(index))]).id)
                }
                feed.poke()
                return (try await self.collect(first, count: 5), try await self.collect(second, count: 5), written)
            }
            #expect(a.map(\.id) == written)
            #expect(b.map(\.id) == written)
            var ended = true
            for await _ in feed.subscribe() { ended = false }
            #expect(ended, "subscribing to a stopped feed yields a finished stream")
        }
    }

    /// Collects the first `count` events (failing rather than hanging if they never come).
    func collect(_ stream: AsyncStream<ChangeEvent>, count: Int, within seconds: Double = 30) async throws -> [ChangeEvent] {
        try await withThrowingTaskGroup(of: [ChangeEvent].self) { group in
            group.addTask {
                var events: [ChangeEvent] = []
                for await event in stream {
                    events.append(event)
                    if events.count == count { break }
                }
                return events
            }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return []
            }
            let first = try await group.next() ?? []
            group.cancelAll()
            #expect(first.count == count, "expected \(count) events within \(seconds) s")
            return first
        }
    }
}
