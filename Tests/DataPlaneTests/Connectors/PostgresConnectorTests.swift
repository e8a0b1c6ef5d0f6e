import AnalyticsCore
import DataPlane
import Foundation
import PostgresNIO
import TestSupport
import Testing

@Suite("PostgreSQL connector: caps, cursor, timeouts, cancellation, concurrency, errors")
struct PostgresConnectorTests {
    @Test("truncation is exact at cap-1, cap and cap+1, and binds work")
    func exactTruncation() async throws {
        try await ConnectorFixtures.withDatabase { database in
            try await TestPostgres.execute(
                ["CREATE TABLE t (id int PRIMARY KEY, label text)", "INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 10) g"],
                on: database.url
            )
            try await ConnectorFixtures.withPostgres(database.url) { connector in
                let sql = "SELECT id, label FROM t ORDER BY id"
                let nine = try await connector.query(sql, binds: [], maxRows: 9, timeout: .seconds(10))
                #expect(nine.rows.count == 9)
                #expect(nine.truncated)
                let ten = try await connector.query(sql, binds: [], maxRows: 10, timeout: .seconds(10))
                #expect(ten.rows.count == 10)
                #expect(!ten.truncated)
                let eleven = try await connector.query(sql, binds: [], maxRows: 11, timeout: .seconds(10))
                #expect(eleven.rows.count == 10)
                #expect(!eleven.truncated)
                #expect(eleven.rows.last == [10, "row 10"])
                #expect(eleven.columns == [ColumnInfo(name: "id", type: "int4"), ColumnInfo(name: "label", type: "text")])

                let none = try await connector.query(sql, binds: [], maxRows: 0, timeout: .seconds(10))
                #expect(none.rows.isEmpty)
                #expect(none.truncated)
                #expect(none.columns.map(\.name) == ["id", "label"])

                let empty = try await connector.query("SELECT id FROM t WHERE id > 100", binds: [], maxRows: 5, timeout: .seconds(10))
                #expect(empty.rows.isEmpty)
                #expect(!empty.truncated)
                #expect(empty.columns == [ColumnInfo(name: "id", type: "int4")])

                let bound = try await connector.query(
                    "SELECT id FROM t WHERE id > $1 AND label <> $2 ORDER BY id",
                    binds: [7, "row 9"],
                    maxRows: 10,
                    timeout: .seconds(10)
                )
                #expect(bound.rows == [[8], [10]])

                // A trailing semicolon or comment does not break the cursor wrapping.
                let terminated = try await connector.query("SELECT 5;", binds: [], maxRows: 1, timeout: .seconds(10))
                #expect(terminated.rows == [[5]])
                let commented = try await connector.query("SELECT 6 -- six", binds: [], maxRows: 1, timeout: .seconds(10))
                #expect(commented.rows == [[6]])
            }
        }
    }

    @Test("untyped binds take their type from context; typed binds keep theirs")
    func bindTypes() async throws {
        try await ConnectorFixtures.withDatabase { database in
            try await TestPostgres.execute(
                [
                    "CREATE TABLE e (d date, n numeric, flag bool, doc jsonb)",
                    "INSERT INTO e VALUES ('2024-01-01', 1.5, true, '{\"a\": 1}'), ('2024-06-01', 2.5, false, '{\"a\": 2}')",
                ],
                on: database.url
            )
            try await ConnectorFixtures.withPostgres(database.url) { connector in
                let result = try await connector.query(
                    "SELECT n FROM e WHERE d >= $1 AND n < $2 AND flag = $3 AND doc @> $4 AND $5::text IS NULL",
                    binds: ["2024-03-01", .number("3.0"), false, ["a": 2], nil],
                    maxRows: 10,
                    timeout: .seconds(10)
                )
                #expect(result.rows == [[.number("2.5")]])
                let typed = try await connector.query("SELECT $1 + 1, $2 * 2", binds: [41, 1.25], maxRows: 1, timeout: .seconds(10))
                #expect(typed.rows == [[42, 2.5]])
                #expect(typed.columns.map(\.type) == ["int8", "float8"])
            }
        }
    }

    @Test("SELECT * over millions of rows stops at the cap without scanning the table")
    func bigTableCursor() async throws {
        try await ConnectorFixtures.withDatabase { database in
            let total = 3_000_000
            try await TestPostgres.execute(
                [
                    "CREATE TABLE big (id int, payload int)",
                    "INSERT INTO big SELECT g, g % 997 FROM generate_series(1, \(total)) g",
                    "ANALYZE big",
                ],
                on: database.url
            )
            let before = try await ConnectorFixtures.int(
                "SELECT coalesce(seq_tup_read, 0) FROM pg_stat_user_tables WHERE relname = 'big'",
                on: database.url
            )
            let app = PostgresConnector.applicationName("big_table")
            try await ConnectorFixtures.withPostgres(database.url, datasetID: "big_table") { connector in
                let clock = ContinuousClock()
                let start = clock.now
                let result = try await connector.query("SELECT * FROM big", binds: [], maxRows: 100, timeout: .seconds(30))
                let elapsed = start.duration(to: clock.now)
                print("SELECT * FROM big (\(total) rows) with maxRows 100: \(elapsed)")
                #expect(result.rows.count == 100)
                #expect(result.truncated)

                // Rows past the cap are never produced: this expression divides by zero at row 2,000,000.
                let sentinel = try await connector.query(
                    "SELECT id, 1 / (id - 2000000) AS boom FROM big",
                    binds: [],
                    maxRows: 100,
                    timeout: .seconds(30)
                )
                #expect(sentinel.rows.count == 100)
                #expect(sentinel.truncated)
            }
            // The connector's backends have exited (flushing their statistics); wait until they are gone.
            var remaining: Int64 = 1
            for _ in 0..<100 where remaining > 0 {
                remaining = try await ConnectorFixtures.int(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = '\(app)'",
                    on: database.url
                )
                if remaining > 0 { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(remaining == 0)
            let read = try await ConnectorFixtures.int(
                "SELECT coalesce(seq_tup_read, 0) FROM pg_stat_user_tables WHERE relname = 'big'",
                on: database.url
            )
            #expect(read - before < 10_000, "the table was scanned: \(read - before) tuples read")
        }
    }

    @Test("statement timeout answers QUERY_TIMEOUT and the connection is reused")
    func timeout() async throws {
        try await ConnectorFixtures.withDatabase { database in
            try await ConnectorFixtures.withPostgres(database.url, settings: ConnectorFixtures.settings(poolSize: 1)) { connector in
                let before = try await connector.query("SELECT pg_backend_pid()", binds: [], maxRows: 1, timeout: .seconds(5))
                let error = await expectError(.queryTimeout) {
                    _ = try await connector.query("SELECT pg_sleep(5)", binds: [], maxRows: 1, timeout: .milliseconds(300))
                }
                #expect(error?.message.contains("300 ms") == true)
                let after = try await connector.query("SELECT pg_backend_pid()", binds: [], maxRows: 1, timeout: .seconds(5))
                #expect(after.rows == before.rows, "the same pooled connection answers after the timeout")
            }
        }
    }

    @Test("cancelling the caller stops the statement on the server")
    func cancellation() async throws {
        try await ConnectorFixtures.withDatabase { database in
            let app = PostgresConnector.applicationName("cancel_test")
            try await ConnectorFixtures.withPostgres(database.url, datasetID: "cancel_test", settings: ConnectorFixtures.settings(poolSize: 1)) {
                connector in
                let clock = ContinuousClock()
                let start = clock.now
                let outcome = await withTaskGroup(of: (any Error)?.self) { group in
                    group.addTask {
                        do {
                            _ = try await connector.query("SELECT pg_sleep(30)", binds: [], maxRows: 1, timeout: .seconds(60))
                            return nil
                        } catch {
                            return error
                        }
                    }
                    // Cancel once the statement is running on the server (at least 200 ms in).
                    try? await Task.sleep(for: .milliseconds(200))
                    for _ in 0..<100 {
                        let running = try? await ConnectorFixtures.int(
                            "SELECT count(*) FROM pg_stat_activity WHERE application_name = '\(app)' AND state = 'active'",
                            on: database.url
                        )
                        if running == 1 { break }
                        try? await Task.sleep(for: .milliseconds(20))
                    }
                    group.cancelAll()
                    return await group.next() ?? nil
                }
                let elapsed = start.duration(to: clock.now)
                #expect((outcome as? AnalyticsError)?.code == .queryCancelled, "\(String(describing: outcome))")
                // A statement left running would still be active; pg_sleep(30) cannot have ended by itself.
                #expect(elapsed < .seconds(30))
                let active = try await ConnectorFixtures.int(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = '\(app)' AND state = 'active'",
                    on: database.url
                )
                #expect(active == 0)
                let next = try await connector.query("SELECT 7", binds: [], maxRows: 1, timeout: .seconds(5))
                #expect(next.rows == [[7]])
            }
        }
    }

    @Test("at most maxConcurrentQueries statements run at once")
    func concurrencyLimit() async throws {
        try await ConnectorFixtures.withDatabase { database in
            let limit = 2
            let app = PostgresConnector.applicationName("limit_test")
            let settings = ConnectorFixtures.settings(poolSize: 6, maxConcurrentQueries: limit)
            try await ConnectorFixtures.withPostgres(database.url, datasetID: "limit_test", settings: settings) { connector in
                let finished = TestBox(false)
                let observed = try await withThrowingTaskGroup(of: Int64.self) { sampler in
                    sampler.addTask {
                        try await TestPostgres.withConnection(to: database.url) { monitor in
                            var maximum: Int64 = 0
                            while !finished.value {
                                let rows = try await monitor.query(
                                    "SELECT count(*)::int8 FROM pg_stat_activity WHERE application_name = \(app) AND state = 'active'",
                                    logger: ConnectorFixtures.logger
                                ).collect()
                                maximum = max(maximum, try rows.first?.decode(Int64.self) ?? 0)
                                try await Task.sleep(for: .milliseconds(15))
                            }
                            return maximum
                        }
                    }
                    try await withThrowingTaskGroup(of: [[JSONValue]].self) { queries in
                        for _ in 0..<(limit + 3) {
                            queries.addTask {
                                try await connector.query("SELECT 1 FROM pg_sleep(0.4)", binds: [], maxRows: 1, timeout: .seconds(20)).rows
                            }
                        }
                        for try await rows in queries { #expect(rows == [[1]]) }
                    }
                    finished.set(true)
                    return try await sampler.next() ?? -1
                }
                #expect(observed == Int64(limit))
            }
        }
    }

    @Test("SQL errors are QUERY_FAILED with PostgreSQL's message and the position in the caller's SQL")
    func sqlErrors() async throws {
        try await ConnectorFixtures.withDatabase { database in
            try await TestPostgres.execute(["CREATE TABLE t (id int, xy int)", "INSERT INTO t VALUES (0, 0)"], on: database.url)
            try await ConnectorFixtures.withPostgres(database.url) { connector in
                let unknown = await expectError(.queryFailed) {
                    _ = try await connector.query("SELECT nope FROM t", binds: [], maxRows: 5, timeout: .seconds(5))
                }
                #expect(unknown?.message.contains("column \"nope\" does not exist") == true)
                #expect(unknown?.details?["position"] == 8)
                #expect(unknown?.details?["sqlstate"] == "42703")

                let syntax = await expectError(.queryFailed) {
                    _ = try await connector.query("SELEC 1", binds: [], maxRows: 5, timeout: .seconds(5))
                }
                #expect(syntax?.message.contains("syntax error") == true)
                #expect(syntax?.details?["position"] == 1)

                let division = await expectError(.queryFailed) {
                    _ = try await connector.query("SELECT 1 / id FROM t", binds: [], maxRows: 5, timeout: .seconds(5))
                }
                #expect(division?.message.contains("division by zero") == true)

                await expectError(.queryFailed) {
                    _ = try await connector.query("SELECT 1; SELECT 2", binds: [], maxRows: 5, timeout: .seconds(5))
                }
                // The connection survives every failure.
                let count = try await connector.query("SELECT count(*) FROM t", binds: [], maxRows: 1, timeout: .seconds(5))
                #expect(count.rows == [[1]])
            }
        }
    }

    @Test("EXPLAIN runs directly, estimatedRows reads the plan, ping answers")
    func explainEstimateAndPing() async throws {
        try await ConnectorFixtures.withDatabase { database in
            try await TestPostgres.execute(
                ["CREATE TABLE t (id int)", "INSERT INTO t SELECT generate_series(1, 1000)", "ANALYZE t"],
                on: database.url
            )
            try await ConnectorFixtures.withPostgres(database.url) { connector in
                let plan = try await connector.query("EXPLAIN SELECT * FROM t", binds: [], maxRows: 50, timeout: .seconds(5))
                #expect(plan.columns == [ColumnInfo(name: "QUERY PLAN", type: "text")])
                #expect(plan.rows.first?.first?.stringValue?.contains("Seq Scan on t") == true)
                let capped = try await connector.query(
                    "EXPLAIN (VERBOSE) SELECT * FROM t a JOIN t b USING (id) JOIN t c USING (id)",
                    binds: [],
                    maxRows: 2,
                    timeout: .seconds(5)
                )
                #expect(capped.rows.count == 2)
                #expect(capped.truncated)

                let estimate = try await connector.estimatedRows("SELECT * FROM t", binds: [], timeout: .seconds(5))
                #expect(estimate == 1000)
                let filtered = try await connector.estimatedRows("SELECT * FROM t WHERE id <= $1", binds: [100], timeout: .seconds(5))
                #expect(filtered.map { $0 > 50 && $0 < 200 } == true)
                try await connector.ping(timeout: .seconds(2))
                let warnings = try await connector.auditCredentials()
                #expect(warnings.first?.contains("superuser") == true)
            }
        }
    }

    @Test("unreachable servers and bad credentials are DATASET_UNAVAILABLE without secrets in the message")
    func unavailable() async throws {
        let server = try TestPostgres.serverURL()
        let port = try ConnectorFixtures.closedPort()
        let closed = try ConnectionURL("postgres://reader:hunter2secret@127.0.0.1:\(port)/none?sslmode=disable")
        let settings = ConnectorFixtures.settings(connectTimeoutMs: 300)
        try await ConnectorFixtures.withPostgres(closed, settings: settings) { connector in
            let error = await expectError(.datasetUnavailable) {
                _ = try await connector.query("SELECT 1", binds: [], maxRows: 1, timeout: .seconds(5))
            }
            #expect(error?.message.contains("hunter2secret") == false)
            await expectError(.datasetUnavailable) { try await connector.ping(timeout: .milliseconds(500)) }
        }
        let wrongPassword = try ConnectionURL(
            "postgres://\(server.user ?? "postgres"):wrong-password-42@\(server.host ?? "127.0.0.1"):\(server.port ?? 5432)/postgres?sslmode=disable"
        )
        try await ConnectorFixtures.withPostgres(wrongPassword, settings: settings) { connector in
            let error = await expectError(.datasetUnavailable) {
                _ = try await connector.query("SELECT 1", binds: [], maxRows: 1, timeout: .seconds(5))
            }
            #expect(error?.message.contains("wrong-password-42") == false)
        }
    }
}
