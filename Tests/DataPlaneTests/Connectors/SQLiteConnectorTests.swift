import AnalyticsCore
import DataPlane
import Foundation
import GRDB
import TestSupport
import Testing

@Suite("SQLite connector: caps, values, read-only layers, timeouts")
struct SQLiteConnectorTests {
    /// A SQLite file with `t` (10 rows of every storage class) in a temporary directory.
    static func withFile<T>(_ body: (String, TemporaryDirectory) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory(prefix: "sqlite-connector")
        defer { directory.remove() }
        let path = directory.file("data.sqlite")
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, label VARCHAR(20), score REAL, raw BLOB, note TEXT)")
            try db.execute(sql: "CREATE INDEX t_label ON t (label)")
            for id in 1...10 {
                try db.execute(
                    sql: "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
                    arguments: [id, "row \(id)", Double(id) / 4, Data([0, UInt8(id), 255]), id % 2 == 0 ? nil : "odd"]
                )
            }
        }
        try queue.close()
        return try await body(path, directory)
    }

    static func connector(_ path: String, poolSize: Int = 2) -> SQLiteConnector {
        SQLiteConnector(datasetID: "lite", path: path, settings: ConnectorFixtures.settings(poolSize: poolSize), logger: ConnectorFixtures.logger)
    }

    @Test("truncation is exact at cap-1, cap and cap+1; $n binds; typed columns")
    func truncationAndBinds() async throws {
        try await Self.withFile { path, _ in
            let connector = Self.connector(path)
            let sql = "SELECT id, label FROM t ORDER BY id"
            let nine = try await connector.query(sql, binds: [], maxRows: 9, timeout: .seconds(5))
            #expect(nine.rows.count == 9)
            #expect(nine.truncated)
            let ten = try await connector.query(sql, binds: [], maxRows: 10, timeout: .seconds(5))
            #expect(ten.rows.count == 10)
            #expect(!ten.truncated)
            let eleven = try await connector.query(sql, binds: [], maxRows: 11, timeout: .seconds(5))
            #expect(eleven.rows.count == 10)
            #expect(!eleven.truncated)
            #expect(eleven.columns == [ColumnInfo(name: "id", type: "integer"), ColumnInfo(name: "label", type: "varchar(20)")])

            let bound = try await connector.query(
                "SELECT id FROM t WHERE id > $1 AND label <> $2 AND id <> $1 + 1 ORDER BY id",
                binds: [6, "row 9"],
                maxRows: 10,
                timeout: .seconds(5)
            )
            #expect(bound.rows == [[8], [10]])

            let values = try await connector.query(
                "SELECT id, score, raw, note, 1e999 AS big, -1e999 AS small, id * 2 AS twice, NULL AS empty FROM t WHERE id = 1",
                binds: [],
                maxRows: 1,
                timeout: .seconds(5)
            )
            #expect(values.rows == [[1, 0.25, "AAH/", "odd", "Infinity", "-Infinity", 2, nil]])
            #expect(values.columns.map(\.type) == ["integer", "real", "blob", "text", "real", "real", "integer", "unknown"])
        }
    }

    @Test("writes, schema changes, ATTACH, pragma writes and transaction control are refused; the file is untouched")
    func readOnlyLayers() async throws {
        try await Self.withFile { path, directory in
            let original = try Data(contentsOf: URL(fileURLWithPath: path))
            let copy = directory.file("copy.sqlite")
            let other = directory.file("other.sqlite")
            let connector = Self.connector(path, poolSize: 1)
            let refused = [
                "INSERT INTO t (id) VALUES (99)",
                "UPDATE t SET label = 'x'",
                "DELETE FROM t",
                "REPLACE INTO t (id) VALUES (1)",
                "CREATE TABLE t2 (id INTEGER)",
                "CREATE TEMP TABLE t3 (id INTEGER)",
                "CREATE INDEX i ON t (label)",
                "CREATE VIEW v AS SELECT 1",
                "DROP TABLE t",
                "ALTER TABLE t ADD COLUMN z INTEGER",
                "ATTACH DATABASE ':memory:' AS scratch",
                "ATTACH DATABASE '\(other)' AS other",
                "DETACH DATABASE main",
                "PRAGMA user_version = 5",
                "PRAGMA journal_mode = DELETE",
                "PRAGMA query_only = 0",
                "PRAGMA writable_schema = 1",
                "PRAGMA wal_checkpoint",
                "BEGIN",
                "COMMIT",
                "SAVEPOINT s",
                "VACUUM",
                "VACUUM INTO '\(copy)'",
                "REINDEX",
                "ANALYZE",
                "SELECT load_extension('/tmp/evil')",
                "WITH x AS (SELECT 1) INSERT INTO t (id) SELECT 100 FROM x",
            ]
            for sql in refused {
                await expectError(.sqlNotReadOnly, sql) {
                    _ = try await connector.query(sql, binds: [], maxRows: 5, timeout: .seconds(5))
                }
            }
            await expectError(.sqlMultipleStatements) {
                _ = try await connector.query("SELECT 1; DELETE FROM t", binds: [], maxRows: 5, timeout: .seconds(5))
            }
            // Reading pragmas and trailing comments are fine.
            let info = try await connector.query("PRAGMA table_info(t)", binds: [], maxRows: 10, timeout: .seconds(5))
            #expect(info.rows.count == 5)
            let version = try await connector.query("PRAGMA user_version", binds: [], maxRows: 1, timeout: .seconds(5))
            #expect(version.rows == [[0]])
            let commented = try await connector.query("SELECT count(*) FROM t; -- done", binds: [], maxRows: 1, timeout: .seconds(5))
            #expect(commented.rows == [[10]])

            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original)
            #expect(!FileManager.default.fileExists(atPath: copy))
            #expect(!FileManager.default.fileExists(atPath: other))
        }
    }

    @Test("a statement past its timeout is interrupted (QUERY_TIMEOUT) and the connection answers again")
    func timeoutAndCancellation() async throws {
        try await Self.withFile { path, _ in
            let connector = Self.connector(path, poolSize: 1)
            let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000000000) SELECT count(*) FROM c"
            let error = await expectError(.queryTimeout) {
                _ = try await connector.query(endless, binds: [], maxRows: 1, timeout: .milliseconds(200))
            }
            #expect(error?.message.contains("200 ms") == true)
            let check1 = try await connector.query("SELECT count(*) FROM t", binds: [], maxRows: 1, timeout: .seconds(5)).rows
            #expect(check1 == [[10]])

            let clock = ContinuousClock()
            let start = clock.now
            let outcome = await withTaskGroup(of: (any Error)?.self) { group in
                group.addTask {
                    do {
                        _ = try await connector.query(endless, binds: [], maxRows: 1, timeout: .seconds(120))
                        return nil
                    } catch {
                        return error
                    }
                }
                try? await Task.sleep(for: .milliseconds(200))
                group.cancelAll()
                return await group.next() ?? nil
            }
            #expect((outcome as? AnalyticsError)?.code == .queryCancelled, "\(String(describing: outcome))")
            #expect(start.duration(to: clock.now) < .seconds(120))
            let check2 = try await connector.query("SELECT 1", binds: [], maxRows: 1, timeout: .seconds(5)).rows
            #expect(check2 == [[1]])
        }
    }

    @Test("bad SQL, bad placeholders and bad files answer coded errors")
    func errors() async throws {
        try await Self.withFile { path, directory in
            let connector = Self.connector(path)
            let syntax = await expectError(.queryFailed) {
                _ = try await connector.query("SELEC 1", binds: [], maxRows: 1, timeout: .seconds(5))
            }
            #expect(syntax?.message.contains("syntax error") == true)
            await expectError(.queryFailed) {
                _ = try await connector.query("SELECT nope FROM t", binds: [], maxRows: 1, timeout: .seconds(5))
            }
            await expectError(.invalidRequest) {
                _ = try await connector.query("SELECT * FROM t WHERE id = ?", binds: [1], maxRows: 1, timeout: .seconds(5))
            }
            await expectError(.invalidRequest) {
                _ = try await connector.query("SELECT * FROM t WHERE id = $2", binds: [1], maxRows: 1, timeout: .seconds(5))
            }
            await expectError(.invalidRequest) {
                _ = try await connector.query("SELECT * FROM t WHERE id = $1", binds: [1, 2], maxRows: 1, timeout: .seconds(5))
            }
            await expectError(.sqlEmpty) {
                _ = try await connector.query("  -- nothing", binds: [], maxRows: 1, timeout: .seconds(5))
            }
            try await connector.ping(timeout: .seconds(2))
            let check3 = try await connector.estimatedRows("SELECT * FROM t", binds: [], timeout: .seconds(2))
            #expect(check3 == nil)
            let check4 = try await connector.auditCredentials()
            #expect(check4 == [])

            let missing = Self.connector(directory.file("missing.sqlite"))
            await expectError(.datasetUnavailable) { try await missing.ping(timeout: .seconds(1)) }
            #expect(!FileManager.default.fileExists(atPath: directory.file("missing.sqlite")))

            let garbage = directory.file("garbage.sqlite")
            try Data("not a database, just text".utf8).write(to: URL(fileURLWithPath: garbage))
            await expectError(.datasetUnavailable) {
                _ = try await Self.connector(garbage).query("SELECT 1", binds: [], maxRows: 1, timeout: .seconds(2))
            }

            connector.close()
            await expectError(.datasetUnavailable) {
                _ = try await connector.query("SELECT 1", binds: [], maxRows: 1, timeout: .seconds(2))
            }
        }
    }
}
