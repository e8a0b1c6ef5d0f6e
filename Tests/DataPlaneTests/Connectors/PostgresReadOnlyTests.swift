import AnalyticsCore
import DataPlane
import SQLGuard
import TestSupport
import Testing

/// The connector's read-only session is a guard layer of its own: fed writes directly (no SQL
/// guard in front), on a *superuser* login, PostgreSQL refuses them and nothing changes.
@Suite("PostgreSQL connector refuses writes by itself")
struct PostgresReadOnlyTests {
    /// Statements PostgreSQL refuses with 25006 (read-only transaction) → `SQL_NOT_READ_ONLY`.
    static let refusedAsWrites = [
        "INSERT INTO t VALUES (99, 'x')",
        "UPDATE t SET label = 'changed'",
        "DELETE FROM t",
        "TRUNCATE t",
        "CREATE TABLE t2 (id int)",
        "CREATE TEMP TABLE t3 (id int)",
        "CREATE INDEX ON t (label)",
        "DROP TABLE t",
        "ALTER TABLE t ADD COLUMN z int",
        "SELECT * FROM t FOR UPDATE",
        "SELECT * FROM t FOR KEY SHARE",
        "SELECT nextval('s')",
        "SELECT setval('s', 100)",
        "SELECT * INTO t4 FROM t",
        "CREATE SEQUENCE s2",
        "GRANT SELECT ON t TO PUBLIC",
        "CREATE ROLE intruder",
        "DO $$BEGIN INSERT INTO t VALUES (100, 'z'); END$$",
        "COPY t FROM PROGRAM 'true'",
        "INSERT INTO t SELECT id + 100, label FROM t RETURNING id",
    ]

    /// Statements refused for other reasons (not allowed in a transaction, or in a cursor).
    static let refusedOtherwise = [
        "WITH gone AS (DELETE FROM t RETURNING *) SELECT * FROM gone",
        "SET TRANSACTION READ WRITE",
        "VACUUM t",
    ]

    static let fingerprintSQL = """
        SELECT md5(string_agg(id || ':' || label, ',' ORDER BY id))
            || ':' || (SELECT last_value FROM s)
            || ':' || (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast'))
            || ':' || (SELECT count(*) FROM pg_roles WHERE rolname = 'intruder')
            || ':' || (SELECT count(*) FROM pg_largeobject_metadata)
        FROM t
        """

    @Test("writes, DDL, locking reads and sequence changes are refused; nothing changes")
    func refusesWrites() async throws {
        try await ConnectorFixtures.withDatabase { database in
            try await TestPostgres.execute(
                [
                    "CREATE TABLE t (id int PRIMARY KEY, label text)",
                    "INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 5) g",
                    "CREATE SEQUENCE s",
                    "SELECT nextval('s')",
                ],
                on: database.url
            )
            let before = try await ConnectorFixtures.text(Self.fingerprintSQL, on: database.url)
            #expect(before != nil)
            try await ConnectorFixtures.withPostgres(database.url, settings: ConnectorFixtures.settings(poolSize: 1)) { connector in
                for sql in Self.refusedAsWrites {
                    let error = await expectError(.sqlNotReadOnly, sql) {
                        _ = try await connector.query(sql, binds: [], maxRows: 10, timeout: .seconds(5))
                    }
                    #expect(error?.details?["sqlstate"] == "25006", "\(sql)")
                }
                for sql in Self.refusedOtherwise {
                    await expectError(.queryFailed, sql) {
                        _ = try await connector.query(sql, binds: [], maxRows: 10, timeout: .seconds(5))
                    }
                }
                // Session changes are the SQL guard's to refuse (the connector runs each query in
                // one round trip, in a session that starts read-only): fed directly, a changed
                // statement_timeout still cannot let a statement outrun the caller's timeout, and
                // what is not a query still runs in a read-only transaction.
                let guardRefuses = SQLGuard()
                for sql in ["SELECT lo_create(0) > 0", "SELECT set_config('statement_timeout', '0', false)"] {
                    #expect(throws: AnalyticsError.self, "\(sql)") { try guardRefuses.analyze(sql) }
                }
                let flipped = try await connector.query(
                    "SELECT set_config('statement_timeout', '0', false)",
                    binds: [],
                    maxRows: 1,
                    timeout: .seconds(5)
                )
                #expect(flipped.rows == [["0"]])
                let clock = ContinuousClock()
                let started = clock.now
                await expectError(.queryTimeout) {
                    _ = try await connector.query("SELECT pg_sleep(20)", binds: [], maxRows: 1, timeout: .seconds(1))
                }
                #expect(started.duration(to: clock.now) < .seconds(10), "the caller's timeout held")
                await expectError(.sqlNotReadOnly) {
                    _ = try await connector.query("INSERT INTO t VALUES (98, 'y')", binds: [], maxRows: 1, timeout: .seconds(5))
                }
            }
            let after = try await ConnectorFixtures.text(Self.fingerprintSQL, on: database.url)
            #expect(after == before)
        }
    }
}
