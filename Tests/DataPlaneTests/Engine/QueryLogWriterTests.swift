import AnalyticsCore
import DataPlane
import Foundation
import Logging
import MetadataStore
import ServiceLifecycle
import TestSupport
import Testing

@Suite("Query log writer")
struct QueryLogWriterTests {
    static func entry(_ index: Int, at: Date = Date()) -> QueryLogEntry {
        QueryLogEntry(at: at, principalID: "p", principalName: "tester", tool: "test", datasetIDs: ["ds"], status: .ok, durationMs: Double(index))
    }

    /// Another OS process (Python's sqlite3) holding the file's write lock until told to let go,
    /// so the store's writes really fail for a while.
    final class WriteLock: Sendable {
        let process: Process
        let input: FileHandle
        let output: FileHandle

        init(path: String) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            let script = """
                import sqlite3, sys
                db = sqlite3.connect(sys.argv[1], isolation_level=None)
                db.execute("BEGIN IMMEDIATE")
                print("locked", flush=True)
                sys.stdin.readline()
                db.execute("COMMIT")
                """
            process.arguments = ["python3", "-c", script, path]
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            self.process = process
            self.input = input.fileHandleForWriting
            self.output = output.fileHandleForReading
            var line = Data()
            while let byte = try output.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != 0x0A { line.append(first) }
            guard String(decoding: line, as: UTF8.self) == "locked" else { throw AnalyticsError.internalError("lock holder failed") }
        }

        func release() async {
            try? self.input.write(contentsOf: Data("\n".utf8))
            while self.process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        }
    }

    static func withStore<T>(busyTimeout: TimeInterval = 0.05, _ body: (SQLiteMetadataStore, String) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory(prefix: "mcpa-log")
        defer { directory.remove() }
        let path = directory.file("registry.sqlite")
        let store = try SQLiteMetadataStore(path: path, logger: EngineHarness.logger, busyTimeout: busyTimeout)
        _ = try await store.migrate()
        return try await body(store, path)
    }

    @Test("200 concurrent executions through the engine give exactly 200 log rows")
    func concurrentExecutions() async throws {
        try await EngineExecutionTests.withNumbers(settings: EngineHarness.settings(poolSize: 4)) { harness, _ in
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        switch index % 4 {
                        case 0: return try await harness.query("ds", "SELECT count(*) FROM numbers WHERE n > \(index % 10)").queryID
                        case 1: return try await harness.query("ds", "SELECT n FROM numbers WHERE n = \(index % 20 + 1)").queryID
                        case 2:
                            do {
                                _ = try await harness.query("ds", "DROP TABLE numbers")
                                return ""
                            } catch let error as AnalyticsError {
                                return error.code.rawValue
                            }
                        default: return try await harness.query("ds", "SELECT max(n) FROM numbers").queryID
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(ids.filter { $0 == "SQL_NOT_READ_ONLY" }.count == 50)
            let entries = try await harness.logEntries()
            #expect(entries.count == 200)
            #expect(Set(entries.map(\.id)).count == 200)
            let refused: Set<String> = ["SQL_NOT_READ_ONLY"]
            let answered = Set(ids).subtracting(refused)
            #expect(answered.count == 150)
            #expect(answered.isSubset(of: Set(entries.map(\.id))))
            #expect(entries.filter { $0.status == .error }.count == 50)
        }
    }

    @Test("a write that fails is retried until the store accepts it; nothing is lost or duplicated")
    func retriesFailedWrites() async throws {
        try await Self.withStore { store, path in
            let writer = QueryLogWriter(
                store: store,
                configuration: .init(retryDelay: .milliseconds(20), maximumRetryDelay: .milliseconds(100)),
                logger: EngineHarness.logger
            )
            let group = ServiceGroup(configuration: .init(services: [writer], logger: EngineHarness.logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let lock = try WriteLock(path: path)
                for index in 0..<50 { writer.record(Self.entry(index)) }
                try await eventually { writer.statistics.failedWrites >= 2 }
                #expect(try await store.countQueryLog() == 0)
                await lock.release()
                try await writer.flush()
                #expect(try await store.countQueryLog() == 50)
                #expect(writer.statistics.queued == 0 && writer.statistics.written == 50)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    @Test("a full queue makes admit() wait and then refuse with STORE_UNAVAILABLE; room frees it")
    func backpressure() async throws {
        try await Self.withStore { store, path in
            let writer = QueryLogWriter(
                store: store,
                configuration: .init(
                    capacity: 10,
                    admissionTimeout: .seconds(5),
                    retryDelay: .milliseconds(20),
                    maximumRetryDelay: .milliseconds(50)
                ),
                logger: EngineHarness.logger
            )
            let group = ServiceGroup(configuration: .init(services: [writer], logger: EngineHarness.logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let lock = try WriteLock(path: path)
                try await writer.admit()
                for index in 0..<10 { writer.record(Self.entry(index)) }
                await expectError(.storeUnavailable) { try await writer.admit() }

                let admitted = TestBox(false)
                let waiting = Task {
                    try await writer.admit()
                    admitted.set(true)
                }
                await lock.release()
                try await writer.flush()
                try await waiting.value
                #expect(admitted.value)
                try await writer.admit()
                #expect(try await store.countQueryLog() == 10)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    @Test("graceful shutdown drains the queue before the writer stops")
    func flushOnShutdown() async throws {
        try await Self.withStore { store, path in
            let writer = QueryLogWriter(store: store, configuration: .init(retryDelay: .milliseconds(20)), logger: EngineHarness.logger)
            let group = ServiceGroup(configuration: .init(services: [writer], logger: EngineHarness.logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let lock = try WriteLock(path: path)
                for index in 0..<1_000 { writer.record(Self.entry(index)) }
                await group.triggerGracefulShutdown()
                try await Task.sleep(for: .milliseconds(200))
                #expect(try await store.countQueryLog() == 0, "still locked: nothing written yet")
                await lock.release()
                try await tasks.waitForAll()
            }
            #expect(try await store.countQueryLog() == 1_000)
            #expect(writer.statistics.written == 1_000)
            try await writer.flush()
            writer.record(Self.entry(1_001))
            #expect(writer.statistics.recorded == 1_000, "after shutdown nothing is accepted")
        }
    }

    @Test("entries older than the retention period are purged, on demand and periodically")
    func retention() async throws {
        try await Self.withStore(busyTimeout: 5) { store, _ in
            let now = Date()
            let old = (0..<3).map { Self.entry($0, at: now.addingTimeInterval(-100 * 86_400)) }
            let recent = (0..<2).map { Self.entry($0, at: now.addingTimeInterval(-10 * 86_400)) }
            try await store.appendQueryLog(old + recent)

            let writer = QueryLogWriter(store: store, configuration: .init(retentionDays: 90), logger: EngineHarness.logger)
            #expect(try await writer.purgeExpired(now: now) == 3)
            #expect(try await store.countQueryLog() == 2)

            let strict = QueryLogWriter(
                store: store,
                configuration: .init(retentionDays: 5, purgeInterval: .milliseconds(50)),
                logger: EngineHarness.logger
            )
            let group = ServiceGroup(configuration: .init(services: [strict], logger: EngineHarness.logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await eventually { try await store.countQueryLog() == 0 }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }
}
