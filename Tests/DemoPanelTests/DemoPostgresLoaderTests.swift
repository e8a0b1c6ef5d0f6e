import AnalyticsCore
import DataPlane
import DemoPanel
import Foundation
import GRDB
import Logging
import PostgresNIO
import Synchronization
import TestSupport
import Testing

@Suite("Demo panel PostgreSQL loader")
struct DemoPostgresLoaderTests {
    /// Aggregates both databases must agree on exactly (integers only, so no float summation noise).
    struct Fingerprint: Equatable {
        var respondents: Int64
        var events: Int64
        var purchases: Int64
        var minutes: Int64
        var weightTenThousandths: Int64
        var amountCents: Int64
        var startEpochSeconds: Int64
        var purchaseDays: Int64
        var perGenre: [String: Int64]
        var perNCCS: [String: Int64]

        /// `values` in the order of ``postgresQueries`` / ``sqliteQueries``.
        init(_ values: [Int64], perGenre: [String: Int64], perNCCS: [String: Int64]) {
            (self.respondents, self.events, self.purchases, self.minutes) = (values[0], values[1], values[2], values[3])
            (self.weightTenThousandths, self.amountCents) = (values[4], values[5])
            (self.startEpochSeconds, self.purchaseDays) = (values[6], values[7])
            (self.perGenre, self.perNCCS) = (perGenre, perNCCS)
        }
    }

    static let postgresQueries = [
        "SELECT count(*)::bigint FROM respondents",
        "SELECT count(*)::bigint FROM tv_viewing",
        "SELECT count(*)::bigint FROM purchases",
        "SELECT sum(minutes)::bigint FROM tv_viewing",
        "SELECT sum(round(weight * 10000))::bigint FROM respondents",
        "SELECT (sum(amount) * 100)::bigint FROM purchases",
        "SELECT sum(extract(epoch FROM start_time))::bigint FROM tv_viewing",
        "SELECT sum(purchase_date - DATE '1970-01-01')::bigint FROM purchases",
    ]

    static let sqliteQueries = [
        "SELECT count(*) FROM respondents",
        "SELECT count(*) FROM tv_viewing",
        "SELECT count(*) FROM purchases",
        "SELECT sum(minutes) FROM tv_viewing",
        "SELECT sum(CAST(round(weight * 10000) AS INTEGER)) FROM respondents",
        "SELECT sum(CAST(round(amount * 100) AS INTEGER)) FROM purchases",
        "SELECT sum(CAST(strftime('%s', start_time) AS INTEGER)) FROM tv_viewing",
        "SELECT sum(CAST(julianday(purchase_date) - julianday('1970-01-01') AS INTEGER)) FROM purchases",
    ]

    static func fingerprint(postgres url: ConnectionURL) async throws -> Fingerprint {
        try await TestPostgres.withConnection(to: url) { connection in
            var values: [Int64] = []
            for sql in Self.postgresQueries {
                for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: DemoFixtures.logger).decode(Int64.self) {
                    values.append(value)
                }
            }
            func groups(_ sql: String) async throws -> [String: Int64] {
                var result: [String: Int64] = [:]
                for try await (key, count) in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: DemoFixtures.logger).decode(
                    (String, Int64).self
                ) {
                    result[key] = count
                }
                return result
            }
            return Fingerprint(
                values,
                perGenre: try await groups("SELECT genre, count(*)::bigint FROM tv_viewing GROUP BY genre"),
                perNCCS: try await groups("SELECT nccs, count(*)::bigint FROM respondents GROUP BY nccs")
            )
        }
    }

    static func fingerprint(sqlite path: String) throws -> Fingerprint {
        try DatabaseQueue(path: path).read { db in
            let values = try Self.sqliteQueries.map { try Int64.fetchOne(db, sql: $0) ?? -1 }
            func groups(_ sql: String) throws -> [String: Int64] {
                Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: sql).map { ($0[0] as String, $0[1] as Int64) })
            }
            return Fingerprint(
                values,
                perGenre: try groups("SELECT genre, count(*) FROM tv_viewing GROUP BY genre"),
                perNCCS: try groups("SELECT nccs, count(*) FROM respondents GROUP BY nccs")
            )
        }
    }

    static func strings(_ sql: String, on url: ConnectionURL) async throws -> [String] {
        try await TestPostgres.withConnection(to: url) { connection in
            var result: [String] = []
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: DemoFixtures.logger).decode(String.self) {
                result.append(value)
            }
            return result
        }
    }

    @Test("loads the same panel as the SQLite writer, with keys, indexes and comments")
    func matchesSQLite() async throws {
        try await Self.withDatabase { database in try await Self.checkMatchesSQLite(database) }
    }

    static func checkMatchesSQLite(_ database: TestDatabase) async throws {
        let directory = try TemporaryDirectory(prefix: "demo-pg")
        defer { directory.remove() }
        let spec = DemoFixtures.spec()

        let reports = Mutex<[DemoPanelProgress]>([])
        let counts = try await DemoPanelLoader(spec: spec, logger: DemoFixtures.logger).load(into: database.url) { report in
            reports.withLock { $0.append(report) }
        }
        let path = directory.file("panel.sqlite")
        let sqliteCounts = try DemoPanelWriter(spec: spec, logger: DemoFixtures.logger).write(to: path)
        #expect(counts == sqliteCounts)

        let postgres = try await Self.fingerprint(postgres: database.url)
        let sqlite = try Self.fingerprint(sqlite: path)
        #expect(postgres == sqlite)
        #expect(postgres.events == Int64(counts.viewingEvents))
        #expect(Set(postgres.perGenre.keys) == Set(DemoVocabulary.genres))

        let phases = reports.withLock { $0.map(\.phase) }
        #expect(phases.first == .creatingSchema)
        #expect(phases.last == .finished)
        let totals = reports.withLock { $0.map(\.totalRows) }
        #expect(totals == totals.sorted())
        #expect(totals.last == counts.total)

        // Every dictionary entry is a comment; weight and respondent key are described as such.
        let comments = try await Self.strings(
            """
            SELECT c.relname || '.' || coalesce(a.attname, '') || '=' || d.description
            FROM pg_description d JOIN pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_class'::regclass
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0
            WHERE c.relname IN ('respondents', 'tv_viewing', 'purchases')
            """,
            on: database.url
        )
        let expected = DemoPanelSchema.dataDictionary.map { "\($0.table).\($0.column ?? "")=\($0.description)" }
        #expect(Set(comments) == Set(expected))
        let weight = try await Self.strings("SELECT col_description('respondents'::regclass, 8)", on: database.url)
        #expect(weight.first?.hasPrefix("Survey weight") == true)

        let constraints = try await Self.strings(
            "SELECT conname || ':' || contype::text FROM pg_constraint WHERE conrelid IN ('respondents'::regclass, 'tv_viewing'::regclass, 'purchases'::regclass)",
            on: database.url
        )
        #expect(
            Set(constraints)
                == [
                    "respondents_pkey:p", "tv_viewing_pkey:p", "purchases_pkey:p", "tv_viewing_respondent_fk:f", "purchases_respondent_fk:f",
                ]
        )
        let indexes = try await Self.strings("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'", on: database.url)
        #expect(Set(DemoPanelSchema.tables.flatMap(\.indexes).map(\.name)).isSubset(of: Set(indexes)))
        let analyzed = try await Self.strings(
            "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL",
            on: database.url
        )
        #expect(Set(analyzed).isSuperset(of: ["respondents", "tv_viewing", "purchases"]))
        let types = try await Self.strings(
            "SELECT column_name || ':' || data_type FROM information_schema.columns WHERE table_name = 'tv_viewing'",
            on: database.url
        )
        #expect(types.contains("start_time:timestamp without time zone"))
        #expect(types.contains("event_id:bigint"))
    }

    /// Runs `body` on a fresh database and drops it afterwards, also when `body` fails.
    static func withDatabase(_ body: (TestDatabase) async throws -> Void) async throws {
        let database = try await TestPostgres.createDatabase(prefix: "demo")
        do {
            try await body(database)
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }

    @Test("existing tables are kept unless replacing; replacing swaps in the new panel")
    func replace() async throws {
        let directory = try TemporaryDirectory(prefix: "demo-pg-replace")
        defer { directory.remove() }
        try await Self.withDatabase { database in
            try await DemoPanelLoader(spec: DemoFixtures.spec(seed: 1), logger: DemoFixtures.logger).load(into: database.url)
            let before = try await Self.fingerprint(postgres: database.url)

            let refused = await DemoFixtures.asyncAnalyticsError {
                try await DemoPanelLoader(spec: DemoFixtures.spec(seed: 2), logger: DemoFixtures.logger).load(into: database.url)
            }
            #expect(refused?.code == .conflict)
            #expect(refused?.hint?.contains("replace") == true)
            #expect(try await Self.fingerprint(postgres: database.url) == before)

            let spec = DemoFixtures.spec(seed: 2, months: 13)
            try await DemoPanelLoader(spec: spec, replaceExisting: true, logger: DemoFixtures.logger).load(into: database.url)
            let after = try await Self.fingerprint(postgres: database.url)
            let path = directory.file("seed2.sqlite")
            try DemoPanelWriter(spec: spec, logger: DemoFixtures.logger).write(to: path)
            #expect(after != before)
            #expect(after == (try Self.fingerprint(sqlite: path)))
        }
    }

    @Test("a login without CREATE rights fails with DEMO_DATA_FAILED and changes nothing")
    func insufficientPrivilege() async throws {
        let role = "demo_reader_\(UUID().uuidString.prefix(8).lowercased())"
        let password = "pw-\(UUID().uuidString)"
        let server = try TestPostgres.serverURL()
        try await Self.withDatabase { database in
            try await TestPostgres.execute(
                ["CREATE ROLE \"\(role)\" LOGIN PASSWORD '\(password)'", "REVOKE CREATE ON SCHEMA public FROM PUBLIC"],
                on: database.url
            )
            let url = try ConnectionURL("postgres://\(role):\(password)@\(server.host ?? "127.0.0.1"):\(server.port ?? 5432)/\(database.name)")
            let error = await DemoFixtures.asyncAnalyticsError {
                try await DemoPanelLoader(spec: DemoFixtures.spec(scale: 0.01), logger: DemoFixtures.logger).load(into: url)
            }
            #expect(error?.code == .demoDataFailed)
            #expect(error?.message.contains("42501") == true)
            #expect(error?.message.contains(password) == false)
            let tables = try await Self.strings("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'", on: database.url)
            #expect(tables.isEmpty)
        }
        try await TestPostgres.execute(["DROP ROLE IF EXISTS \"\(role)\""], on: server)
    }

    @Test("a view on the demo tables blocks replacement: DEMO_DATA_FAILED, old panel intact")
    func dependentObjectsBlockReplace() async throws {
        try await Self.withDatabase { database in
            try await DemoPanelLoader(spec: DemoFixtures.spec(scale: 0.02), logger: DemoFixtures.logger).load(into: database.url)
            try await TestPostgres.execute(["CREATE VIEW heavy_viewers AS SELECT respondent_id FROM tv_viewing"], on: database.url)
            let before = try await Self.fingerprint(postgres: database.url)
            let error = await DemoFixtures.asyncAnalyticsError {
                try await DemoPanelLoader(spec: DemoFixtures.spec(scale: 0.03), replaceExisting: true, logger: DemoFixtures.logger)
                    .load(into: database.url)
            }
            #expect(error?.code == .demoDataFailed)
            #expect(error?.message.contains("2BP01") == true)
            #expect(try await Self.fingerprint(postgres: database.url) == before)
            #expect(try await Self.strings("SELECT count(*)::text FROM heavy_viewers", on: database.url) == ["\(before.events)"])
        }
    }

    @Test("bad URLs and unreachable or refusing servers fail with coded errors that never show the password")
    func badConnections() async throws {
        let server = try TestPostgres.serverURL()
        let loader = DemoPanelLoader(spec: DemoFixtures.spec(scale: 0.01), logger: DemoFixtures.logger)

        let sqlite = await DemoFixtures.asyncAnalyticsError { try await loader.load(into: try ConnectionURL("sqlite:/tmp/panel.sqlite")) }
        #expect(sqlite?.code == .invalidConnectionURL)
        #expect(DemoFixtures.analyticsError { _ = try ConnectionURL("mysql://x@y/z") }?.code == .invalidConnectionURL)
        let noUser = await DemoFixtures.asyncAnalyticsError { try await loader.load(into: try ConnectionURL("postgres://127.0.0.1:5432/db")) }
        #expect(noUser?.code == .invalidConnectionURL)

        let host = server.host ?? "127.0.0.1"
        let port = server.port ?? 5432
        let secret = "wrong-\(UUID().uuidString)"
        let wrongPassword = await DemoFixtures.asyncAnalyticsError {
            try await loader.load(
                into: try ConnectionURL("postgres://\(server.user ?? "postgres"):\(secret)@\(host):\(port)/postgres?sslmode=disable")
            )
        }
        #expect(wrongPassword?.code == .connectionFailed)
        #expect(wrongPassword?.message.contains(secret) == false)
        #expect(wrongPassword?.hint?.contains(secret) == false)
        #expect(wrongPassword?.message.contains("login") == true)

        let missingDatabase = await DemoFixtures.asyncAnalyticsError {
            var components = URLComponents(string: server.raw)
            components?.path = "/no_such_db_\(UUID().uuidString.prefix(6).lowercased())"
            try await loader.load(into: try ConnectionURL(components?.string ?? ""))
        }
        #expect(missingDatabase?.code == .connectionFailed)
        #expect(missingDatabase?.message.contains("does not exist") == true)
        #expect(missingDatabase?.message.contains(server.password ?? "\u{0}") == false)

        // A port nobody listens on: bind one, note it, close it.
        let closedPort = try await Self.unusedPort()
        let unreachable = await DemoFixtures.asyncAnalyticsError {
            try await loader.load(into: try ConnectionURL("postgres://someone:\(secret)@127.0.0.1:\(closedPort)/db?sslmode=disable"))
        }
        #expect(unreachable?.code == .connectionFailed)
        #expect(unreachable?.message.contains(secret) == false)
    }

    static func unusedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 1
        try await channel.close().get()
        return port
    }
}
