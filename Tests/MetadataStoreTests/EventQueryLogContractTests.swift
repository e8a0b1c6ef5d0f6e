import AnalyticsCore
import Foundation
import MetadataStore
import TestSupport
import Testing

/// Change events and the query log, run unchanged against SQLite and PostgreSQL.
@Suite("Store contract: events and query log")
struct EventQueryLogContractTests {
    @Test(arguments: StoreBackend.allCases)
    func registryWritesAppendEventsInOrder(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            #expect(try await f.store.latestEventID() == 0)
            #expect(try await f.store.events(after: 0, limit: 10).isEmpty)
            _ = try await f.store.createDataset(sampleDataset("ev"), secret: sampleSecret(), actor: "admin")
            _ = try await f.store.updateDataset(id: "ev", actor: "bob", note: nil) { $0.name = "n" }
            _ = try await f.store.transitionDataset(id: "ev", to: .metadataPending, actor: "bob", note: nil)
            let custom = try await f.store.appendEvent(kind: ChangeEvent.Kind("custom.kind"), datasetID: nil, payload: ["n": 7, "s": "x"])

            let events = try await f.store.events(after: 0, limit: 100)
            #expect(events.map(\.kind) == [.datasetCreated, .datasetUpdated, .datasetTransitioned, ChangeEvent.Kind("custom.kind")])
            #expect(events.map(\.datasetID) == ["ev", "ev", "ev", nil])
            #expect(zip(events, events.dropFirst()).allSatisfy { $0.id < $1.id })
            #expect(events[0].payload == ["state": "draft", "version": 1])
            #expect(events[1].payload == ["version": 2])
            #expect(events[2].payload == ["from": "draft", "to": "metadata_pending", "version": 3])
            #expect(events.last == custom)
            #expect(try await f.store.latestEventID() == custom.id)

            #expect(try await f.store.events(after: events[1].id, limit: 100).map(\.id) == [events[2].id, custom.id])
            #expect(try await f.store.events(after: 0, limit: 2).map(\.id) == [events[0].id, events[1].id])
            #expect(try await f.store.events(after: custom.id, limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func concurrentAppendsGetDistinctIncreasingIDs(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let ids = try await f.withSecondStore { other in
                try await withThrowingTaskGroup(of: Int64.self) { group in
                    for index in 0..<20 {
                        let store = index.isMultiple(of: 2) ? f.store : other
                        group.addTask { try await store.appendEvent(kind: .secretRotated, datasetID: nil, payload: ["i": .int(Int64(index))]).id }
                    }
                    return try await group.reduce(into: [Int64]()) { $0.append($1) }
                }
            }
            #expect(Set(ids).count == 20)
            let read = try await f.store.events(after: 0, limit: 100)
            #expect(read.map(\.id) == ids.sorted())
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func queryLogAppendsFiltersCountsAndPurges(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let base = Date(timeIntervalSince1970: 1_760_000_000)
            let entries = (0..<1000).map { i in
                QueryLogEntry(
                    id: String(format: "q%04d", i),
                    at: base.addingTimeInterval(Double(i) * 60 + 0.25),
                    principalID: "p\(i % 4)",
                    principalName: "Principal \(i % 4)",
                    clientName: i.isMultiple(of: 2) ? "claude" : nil,
                    clientVersion: i.isMultiple(of: 2) ? "1.0" : nil,
                    tool: "execute_sql",
                    datasetIDs: i.isMultiple(of: 5) ? ["panel", "retail"] : ["panel"],
                    normalizedSQL: "SELECT count(*) FROM t WHERE x = $1",
                    fingerprint: "fp\(i % 10)",
                    status: i.isMultiple(of: 10) ? .error : .ok,
                    errorCode: i.isMultiple(of: 10) ? "QUERY_TIMEOUT" : nil,
                    durationMs: Double(i) + 0.5,
                    rows: i,
                    bytes: i * 10,
                    cached: i.isMultiple(of: 3),
                    planID: i.isMultiple(of: 7) ? "plan\(i)" : nil,
                    promptHash: nil,
                    persona: i.isMultiple(of: 9) ? "Female 25-34" : nil
                )
            }
            try await f.store.appendQueryLog(entries)
            try await f.store.appendQueryLog([])
            #expect(try await f.store.countQueryLog() == 1000)

            let newest = try await f.store.queryLog(QueryLogFilter(limit: 3))
            #expect(newest == Array(entries.reversed().prefix(3)), "newest first, every field read back")

            let retail = try await f.store.queryLog(QueryLogFilter(datasetID: "retail", limit: 5000))
            #expect(retail.count == 200)
            #expect(retail.allSatisfy { $0.datasetIDs.contains("retail") })
            #expect(try await f.store.queryLog(QueryLogFilter(datasetID: "pan", limit: 5000)).isEmpty)
            #expect(try await f.store.queryLog(QueryLogFilter(principalID: "p1", limit: 5000)).count == 250)
            #expect(try await f.store.queryLog(QueryLogFilter(status: .error, limit: 5000)).count == 100)
            let since = base.addingTimeInterval(900 * 60)
            #expect(try await f.store.queryLog(QueryLogFilter(since: since, limit: 5000)).count == 100)
            let combined = try await f.store.queryLog(QueryLogFilter(datasetID: "retail", principalID: "p0", status: .error, limit: 5000))
            #expect(combined.map(\.id) == (0..<1000).filter { $0 % 20 == 0 }.reversed().map { String(format: "q%04d", $0) })

            try await f.store.appendQueryLog(Array(entries.prefix(10)))
            #expect(try await f.store.countQueryLog() == 1000, "re-appending the same entries adds nothing")

            let purged = try await f.store.purgeQueryLog(before: base.addingTimeInterval(300 * 60))
            #expect(purged == 300)
            #expect(try await f.store.countQueryLog() == 700)
            #expect(try await f.store.queryLog(QueryLogFilter(limit: 5000)).last?.id == "q0300")
            #expect(try await f.store.queryLog(QueryLogFilter(datasetID: "retail", limit: 5000)).count == 140)
            #expect(try await f.store.purgeQueryLog(before: base) == 0)
        }
    }
}
