import AnalyticsCore
import Synchronization

/// Recent query results, so a client repeating a question (or a plan re-running a step) is answered
/// from memory (DESIGN §5.5: hits are logged with `cached: true`).
///
/// - Entries live for ``Configuration/ttl`` and are bounded by ``Configuration/maxBytes`` in total,
///   evicting the least recently used first.
/// - The key carries the dataset's version, so a changed dataset never serves old results; the
///   engine's change listener also calls ``purge(datasetID:)`` to free their memory at once.
/// - One lock guards the table; it is held only for dictionary and list updates, never across an
///   `await`, so a hit costs a hash lookup.
public final class ResultCache: Sendable {
    /// A stored result and its size as JSON (what the query log records as bytes).
    public struct CachedResult: Sendable, Hashable {
        /// What a query produced: rows for SQL, a breakdown for a weighted breakdown.
        public enum Value: Sendable, Hashable {
            case rows(QueryResult)
            case breakdown(BreakdownResult)
        }

        public var value: Value
        public var bytes: Int

        public init(result: QueryResult, bytes: Int) {
            self.value = .rows(result)
            self.bytes = bytes
        }

        public init(breakdown: BreakdownResult, bytes: Int) {
            self.value = .breakdown(breakdown)
            self.bytes = bytes
        }

        /// The rows of a SQL result; `nil` for a breakdown.
        public var result: QueryResult? {
            guard case .rows(let result) = self.value else { return nil }
            return result
        }
    }

    public struct Configuration: Sendable, Hashable {
        /// How long a result stays valid; zero turns the cache off.
        public var ttl: Duration
        /// Bytes of results (and keys) held at most; zero turns the cache off.
        public var maxBytes: Int

        public init(ttl: Duration = .seconds(60), maxBytes: Int = 64 * 1024 * 1024) {
            self.ttl = max(.zero, ttl)
            self.maxBytes = max(0, maxBytes)
        }

        /// Whether results are cached at all.
        public var isEnabled: Bool { self.ttl > .zero && self.maxBytes > 0 }
    }

    /// Counters for metrics and tests.
    public struct Statistics: Sendable, Hashable {
        public var entries: Int
        public var bytes: Int
        public var hits: Int
        public var misses: Int
        public var evictions: Int
    }

    private struct Entry {
        var key: ResultCacheKey
        var value: CachedResult
        var size: Int
        var expires: ContinuousClock.Instant
        var newer: Int?
        var older: Int?
    }

    /// A doubly linked list threaded through `slots` (most recent at `newest`) plus a hash index.
    private struct Table {
        var index: [ResultCacheKey: Int] = [:]
        var slots: [Entry?] = []
        var free: [Int] = []
        var newest: Int?
        var oldest: Int?
        var bytes = 0
        var hits = 0
        var misses = 0
        var evictions = 0

        mutating func unlink(_ slot: Int) {
            guard let entry = self.slots[slot] else { return }
            if let newer = entry.newer { self.slots[newer]?.older = entry.older } else { self.newest = entry.older }
            if let older = entry.older { self.slots[older]?.newer = entry.newer } else { self.oldest = entry.newer }
            self.slots[slot]?.newer = nil
            self.slots[slot]?.older = nil
        }

        mutating func pushNewest(_ slot: Int) {
            self.slots[slot]?.older = self.newest
            self.slots[slot]?.newer = nil
            if let newest = self.newest { self.slots[newest]?.newer = slot }
            self.newest = slot
            if self.oldest == nil { self.oldest = slot }
        }

        mutating func remove(_ slot: Int) {
            guard let entry = self.slots[slot] else { return }
            self.unlink(slot)
            self.index[entry.key] = nil
            self.bytes -= entry.size
            self.slots[slot] = nil
            self.free.append(slot)
        }
    }

    public let configuration: Configuration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let table = Mutex(Table())

    /// - Parameter now: the time source; tests pass a manual clock to expire entries without sleeping.
    public init(
        configuration: Configuration = Configuration(),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.configuration = configuration
        self.now = now
    }

    /// The live result for `key`, marking it most recently used; expired entries are dropped.
    public func value(for key: ResultCacheKey) -> CachedResult? {
        guard self.configuration.isEnabled else { return nil }
        let now = self.now()
        return self.table.withLock { table -> CachedResult? in
            guard let slot = table.index[key], let entry = table.slots[slot] else {
                table.misses += 1
                return nil
            }
            guard entry.expires > now else {
                table.remove(slot)
                table.misses += 1
                return nil
            }
            table.unlink(slot)
            table.pushNewest(slot)
            table.hits += 1
            return entry.value
        }
    }

    /// Stores `value` under `key` (replacing an older entry), evicting least recently used entries
    /// until the total fits. Sizes count the rows twice (JSON bytes underestimate Swift values) plus
    /// the key; a result bigger than an eighth of the cache is not kept.
    public func insert(_ value: CachedResult, for key: ResultCacheKey) {
        guard self.configuration.isEnabled else { return }
        let size = 2 * max(0, value.bytes) + key.approximateBytes
        guard size <= self.configuration.maxBytes / 8 else { return }
        let expires = self.now() + self.configuration.ttl
        self.table.withLock { table in
            if let existing = table.index[key] { table.remove(existing) }
            while table.bytes + size > self.configuration.maxBytes, let oldest = table.oldest {
                table.remove(oldest)
                table.evictions += 1
            }
            let entry = Entry(key: key, value: value, size: size, expires: expires)
            let slot: Int
            if let reused = table.free.popLast() {
                table.slots[reused] = entry
                slot = reused
            } else {
                table.slots.append(entry)
                slot = table.slots.count - 1
            }
            table.index[key] = slot
            table.bytes += size
            table.pushNewest(slot)
        }
    }

    /// Drops the entries of one dataset (it changed or went away) — all of them, or those of
    /// versions below `version`; returns how many.
    @discardableResult
    public func purge(datasetID: String, below version: Int? = nil) -> Int {
        self.table.withLock { table in
            let slots = table.index.filter { $0.key.datasetID == datasetID && $0.key.datasetVersion < (version ?? .max) }.map(\.value)
            for slot in slots { table.remove(slot) }
            return slots.count
        }
    }

    /// Drops everything.
    public func removeAll() {
        self.table.withLock { table in
            let (hits, misses, evictions) = (table.hits, table.misses, table.evictions)
            table = Table()
            table.hits = hits
            table.misses = misses
            table.evictions = evictions
        }
    }

    public var statistics: Statistics {
        self.table.withLock { table in
            Statistics(entries: table.index.count, bytes: table.bytes, hits: table.hits, misses: table.misses, evictions: table.evictions)
        }
    }
}
