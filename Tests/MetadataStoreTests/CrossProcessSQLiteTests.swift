import AnalyticsCore
import Foundation
import MetadataStore
import TestSupport
import Testing

/// A real second OS process (Python's sqlite3 module) on the same SQLite file.
@Suite("SQLite store shared between processes")
struct CrossProcessSQLiteTests {
    /// Starts `python3 -c script path`; the script prints a line when it reaches its checkpoint.
    func startPython(_ script: String, path: String) throws -> (Process, FileHandle) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        return (process, output.fileHandleForReading)
    }

    func readLine(_ handle: FileHandle) -> String {
        var bytes = Data()
        while let byte = try? handle.read(upToCount: 1), let first = byte.first, first != 0x0A {
            bytes.append(first)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func waitForExit(_ process: Process) async -> Int32 {
        while process.isRunning {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    /// Another process holds the write lock; the store's write waits for it (busy timeout) and succeeds.
    @Test func writesWaitForAnotherProcessesLock() async throws {
        try await withStore(.sqlite) { f in
            let path = try #require(f.sqlitePath)
            let script = """
                import sqlite3, sys, time
                db = sqlite3.connect(sys.argv[1], isolation_level=None)
                db.execute("BEGIN IMMEDIATE")
                db.execute("INSERT INTO change_events (kind, dataset_id, payload, at) VALUES ('external.locked', NULL, '{}', '2025-01-01T00:00:00.000Z')")
                print("locked", flush=True)
                time.sleep(0.5)
                db.execute("COMMIT")
                """
            let (process, output) = try self.startPython(script, path: path)
            #expect(self.readLine(output) == "locked")
            let created = try await f.store.createDataset(sampleDataset("waited"), secret: sampleSecret(), actor: "admin")
            #expect(await self.waitForExit(process) == 0)
            #expect(try await f.store.dataset(id: "waited") == created)
            let kinds = try await f.store.events(after: 0, limit: 10).map(\.kind.rawValue)
            #expect(kinds == ["external.locked", "dataset.created"], "the other process committed first, then the store")
        }
    }

    /// An event appended by another process reaches this process's feed by polling.
    @Test func theFeedDeliversAnotherProcessesEvent() async throws {
        try await withStore(.sqlite) { f in
            let path = try #require(f.sqlitePath)
            let feed = ChangeFeed(store: f.store, pollInterval: .milliseconds(50), logger: testLogger)
            let events = feed.subscribe()
            let seen = try await withThrowingTaskGroup(of: ChangeEvent?.self) { group in
                group.addTask {
                    try await feed.run()
                    return nil
                }
                await feed.ready()
                let script = """
                    import sqlite3, sys
                    db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
                    db.execute("INSERT INTO change_events (kind, dataset_id, payload, at) VALUES ('external.write', 'ds_x', '{\\"n\\": 5}', '2025-01-01T00:00:00.000Z')")
                    print("done", flush=True)
                    """
                let (process, output) = try self.startPython(script, path: path)
                #expect(self.readLine(output) == "done")
                #expect(await self.waitForExit(process) == 0)
                let seen = try await waitForEvent(in: events) { $0.kind.rawValue == "external.write" }
                group.cancelAll()
                return seen
            }
            #expect(seen?.datasetID == "ds_x")
            #expect(seen?.payload == ["n": 5])
        }
    }
}
