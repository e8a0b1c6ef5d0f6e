import AnalyticsCore
import DataPlane
import Foundation
import Logging
import MetadataStore
import SQLGuard
import ServiceLifecycle
import TestSupport
import Testing

@Suite("Result cache")
struct ResultCacheTests {
    static func key(_ sql: String, dataset: String = "ds", version: Int = 1, limit: Int? = nil, persona: String? = nil) throws -> ResultCacheKey {
        ResultCacheKey(datasetID: dataset, datasetVersion: version, sql: sql, analysis: try SQLGuard().analyze(sql), limit: limit, persona: persona)
    }

    static func value(_ marker: Int64, bytes: Int = 100) -> ResultCache.CachedResult {
        ResultCache.CachedResult(
            result: QueryResult(
                datasetID: "ds",
                columns: [ColumnInfo(name: "x", type: "int4")],
                rows: [[.int(marker)]],
                rowCount: 1,
                truncated: false,
                aggregated: true,
                elapsedMs: 1,
                queryID: "q\(marker)"
            ),
            bytes: bytes
        )
    }

    @Test("keys pin the statement: constants, aliases, limit, persona and version all count")
    func keys() throws {
        let base = try Self.key("SELECT region, count(*) AS n FROM respondents WHERE age > 30 GROUP BY region")
        #expect(base == (try Self.key("SELECT region, count(*) AS n FROM respondents WHERE age > 30 GROUP BY region")))
        #expect(base != (try Self.key("SELECT region, count(*) AS n FROM respondents WHERE age > 31 GROUP BY region")))
        #expect(base != (try Self.key("SELECT region, count(*) AS total FROM respondents WHERE age > 30 GROUP BY region")))
        #expect(base != (try Self.key("SELECT region, count(*) AS n FROM respondents WHERE age > 30 GROUP BY region", limit: 10)))
        #expect(base != (try Self.key("SELECT region, count(*) AS n FROM respondents WHERE age > 30 GROUP BY region", persona: "p")))
        #expect(base != (try Self.key("SELECT region, count(*) AS n FROM respondents WHERE age > 30 GROUP BY region", version: 2)))
        #expect(base != (try Self.key("SELECT region, count(*) AS n FROM respondents WHERE age > 30 GROUP BY region", dataset: "other")))
        #expect((try Self.key("SELECT 'a', 'b'")) != (try Self.key("SELECT 'b', 'a'")), "constants keep their order")
        #expect((try Self.key("SELECT 1, NULL")) != (try Self.key("SELECT 1, true")))
        #expect((try Self.key("SELECT -5")) != (try Self.key("SELECT 5")))
        // libpg_query prints zero and negative integers without their value; they must still differ.
        #expect((try Self.key("SELECT count(*) FROM t WHERE n > -5")) != (try Self.key("SELECT count(*) FROM t WHERE n > -6")))
        #expect((try Self.key("SELECT -1")) != (try Self.key("SELECT 0")))
        #expect((try Self.key("SELECT - 7")) != (try Self.key("SELECT -  7")), "such statements are keyed by their exact text")
        #expect((try Self.key("SELECT -7")) == (try Self.key("SELECT -7")))
    }

    @Test("entries expire after the TTL")
    func ttl() throws {
        let clock = ManualClock()
        let cache = ResultCache(configuration: .init(ttl: .seconds(60), maxBytes: 1 << 20), now: { clock.now })
        let key = try Self.key("SELECT 1")
        cache.insert(Self.value(1), for: key)
        clock.advance(by: .seconds(59))
        #expect(cache.value(for: key)?.result?.rows == [[1]])
        clock.advance(by: .seconds(2))
        #expect(cache.value(for: key) == nil)
        #expect(cache.statistics.entries == 0)
    }

    @Test("the least recently used entries are evicted when the byte bound is reached")
    func lru() throws {
        let cache = ResultCache(configuration: .init(ttl: .seconds(60), maxBytes: 64 * 1024))
        let keys = try (0..<10).map { try Self.key("SELECT \($0)") }
        // Each entry counts 2 × 3,500 bytes plus its key (under the 8 KiB per-entry limit): 9 fit.
        for (index, key) in keys.enumerated() { cache.insert(Self.value(Int64(index), bytes: 3_500), for: key) }
        let stats = cache.statistics
        #expect(stats.bytes <= 64 * 1024)
        #expect(stats.evictions == 10 - stats.entries)
        #expect(stats.entries < 10 && stats.entries > 1)
        #expect(cache.value(for: keys[0]) == nil, "the oldest went first")
        #expect(cache.value(for: keys[9]) != nil, "the newest stayed")

        // Touching an entry protects it: the next insert evicts the least recently *used* one.
        let survivors = keys.filter { cache.value(for: $0) != nil }
        let oldestSurvivor = try #require(survivors.first)
        _ = cache.value(for: oldestSurvivor)
        cache.insert(Self.value(99, bytes: 3_500), for: try Self.key("SELECT 99"))
        #expect(cache.value(for: oldestSurvivor) != nil)
        #expect(cache.value(for: survivors[1]) == nil)

        #expect(cache.statistics.bytes <= 64 * 1024)
        cache.insert(Self.value(7, bytes: 9_000), for: try Self.key("SELECT 'too big'"))
        #expect(cache.value(for: try Self.key("SELECT 'too big'")) == nil, "an entry above an eighth of the cache is not kept")
    }

    @Test("purge drops one dataset's entries only; a zero TTL turns the cache off")
    func purgeAndDisable() throws {
        let cache = ResultCache()
        cache.insert(Self.value(1), for: try Self.key("SELECT 1", dataset: "a"))
        cache.insert(Self.value(2), for: try Self.key("SELECT 2", dataset: "a"))
        cache.insert(Self.value(3), for: try Self.key("SELECT 3", dataset: "b"))
        #expect(cache.purge(datasetID: "a") == 2)
        #expect(cache.value(for: try Self.key("SELECT 3", dataset: "b")) != nil)
        #expect(cache.statistics.entries == 1)

        let off = ResultCache(configuration: .init(ttl: .zero))
        off.insert(Self.value(1), for: try Self.key("SELECT 1"))
        #expect(off.value(for: try Self.key("SELECT 1")) == nil)
    }

    @Test("through the engine: a repeat is a hit marked cached, logged as such; other constants miss")
    func engineHits() async throws {
        try await EngineExecutionTests.withNumbers { harness, database in
            let sql = "SELECT count(*) AS n FROM numbers WHERE n > 5"
            let first = try await harness.query("ds", sql)
            #expect(!first.cached)
            // Change the data behind the cache's back: a hit still shows the cached answer.
            try await TestPostgres.execute(["INSERT INTO numbers VALUES (1000, 'new')"], on: database.url)
            let second = try await harness.query("ds", sql)
            #expect(second.cached)
            #expect(second.rows == first.rows && second.columns == first.columns)
            #expect(second.queryID != first.queryID)
            let other = try await harness.query("ds", "SELECT count(*) AS n FROM numbers WHERE n > 6")
            #expect(!other.cached && other.rows == [[15]])
            let entries = try await harness.logEntries()
            #expect(entries.filter(\.cached).map(\.id) == [second.queryID])
            #expect(entries.first { $0.id == second.queryID }?.rows == 1)
        }
    }

    @Test("the TTL applies through the engine")
    func engineTTL() async throws {
        let clock = ManualClock()
        var options = EngineHarness.Options()
        options.cache = .init(ttl: .seconds(60))
        options.now = { clock.now }
        try await EngineExecutionTests.withNumbers(options: options) { harness, database in
            let sql = "SELECT count(*) AS n FROM numbers"
            _ = try await harness.query("ds", sql)
            try await TestPostgres.execute(["INSERT INTO numbers VALUES (1000, 'new')"], on: database.url)
            #expect(try await harness.query("ds", sql).cached)
            clock.advance(by: .seconds(61))
            let fresh = try await harness.query("ds", sql)
            #expect(!fresh.cached && fresh.rows == [[21]])
        }
    }

    @Test("a dataset change (new version) is never answered from the cache, even with no change events")
    func versionInvalidation() async throws {
        var options = EngineHarness.Options()
        options.listensForChanges = false
        options.engine = EngineConfiguration(datasetCacheTTL: .zero)
        try await EngineExecutionTests.withNumbers(options: options) { harness, database in
            let sql = "SELECT count(*) AS n FROM numbers"
            _ = try await harness.query("ds", sql)
            try await TestPostgres.execute(["INSERT INTO numbers VALUES (1000, 'new')"], on: database.url)
            #expect(try await harness.query("ds", sql).cached)
            _ = try await harness.store.updateDataset(id: "ds", actor: "test", note: "describe") { $0.description = "changed" }
            let after = try await harness.query("ds", sql)
            #expect(!after.cached)
            #expect(after.rows == [[21]])
            #expect(harness.cache.statistics.entries == 2, "the old version's entry is unreachable, not purged: no events ran")
        }
    }

    @Test("change events drop the dataset's record and results, and close its connector when it leaves active")
    func changeFeedInvalidation() async throws {
        var options = EngineHarness.Options()
        options.engine = EngineConfiguration(datasetCacheTTL: .seconds(3_600))
        try await EngineExecutionTests.withNumbers(options: options) { harness, database in
            _ = try await harness.query("ds", "SELECT count(*) FROM numbers")
            _ = try await harness.query("ds", "SELECT max(n) FROM numbers")
            #expect(harness.cache.statistics.entries == 2)
            #expect(harness.connectors.loadedVersions()["ds"] != nil)

            try await TestPostgres.execute(["INSERT INTO numbers VALUES (1000, 'new')"], on: database.url)
            _ = try await harness.store.updateDataset(id: "ds", actor: "test", note: nil) { $0.tags = ["x"] }
            try await eventually { harness.cache.statistics.entries == 0 }
            #expect(harness.connectors.loadedVersions()["ds"] != nil, "an edit keeps the connector")
            let fresh = try await harness.query("ds", "SELECT count(*) FROM numbers")
            #expect(!fresh.cached && fresh.rows == [[21]], "the record was re-read despite its hour-long TTL")

            _ = try await harness.store.transitionDataset(id: "ds", to: .inactive, actor: "test", note: nil)
            try await eventually { harness.cache.statistics.entries == 0 && harness.connectors.loadedVersions()["ds"] == nil }
            await expectError(.datasetNotActive) { _ = try await harness.query("ds", "SELECT count(*) FROM numbers") }
        }
    }

    @Test("an event for a version already seen drops nothing; a newer version drops the record and older results")
    func versionedInvalidation() async throws {
        var options = EngineHarness.Options()
        options.listensForChanges = false
        options.engine = EngineConfiguration(datasetCacheTTL: .seconds(3_600))
        try await EngineExecutionTests.withNumbers(options: options) { harness, _ in
            let version = try #require(try await harness.store.dataset(id: "ds")?.version)
            let sql = "SELECT count(*) AS n FROM numbers"
            _ = try await harness.query("ds", sql)
            harness.engine.invalidate(datasetID: "ds", version: version)
            #expect(try await harness.query("ds", sql).cached, "a late event for the current version changes nothing")
            _ = try await harness.store.transitionDataset(id: "ds", to: .inactive, actor: "test", note: nil)
            harness.engine.invalidate(datasetID: "ds", version: version + 1)
            #expect(harness.cache.statistics.entries == 0)
            await expectError(.datasetNotActive) { _ = try await harness.query("ds", sql) }
        }
    }

    @Test("without events, a dataset record is reused for its TTL and re-read after it")
    func datasetRecordTTL() async throws {
        let clock = ManualClock()
        var options = EngineHarness.Options()
        options.listensForChanges = false
        options.now = { clock.now }
        options.engine = EngineConfiguration(datasetCacheTTL: .seconds(1))
        try await EngineExecutionTests.withNumbers(options: options) { harness, _ in
            _ = try await harness.query("ds", "SELECT 1 AS one")
            _ = try await harness.store.transitionDataset(id: "ds", to: .inactive, actor: "test", note: nil)
            let stale = try await harness.query("ds", "SELECT 2 AS two")
            #expect(stale.rows == [[2]], "within the TTL the old (active) record still answers")
            clock.advance(by: .milliseconds(1_001))
            await expectError(.datasetNotActive) { _ = try await harness.query("ds", "SELECT 3 AS three") }
            _ = try await harness.store.transitionDataset(id: "ds", to: .active, actor: "test", note: nil)
            harness.engine.invalidate(datasetID: "ds")
            #expect(try await harness.query("ds", "SELECT 4 AS four").rows == [[4]], "invalidate reads the record again at once")
        }
    }
}
