import AnalyticsCore
import DataPlane
import Foundation
import GRDB
import TestSupport
import Testing

/// The PostgreSQL functions registered on SQLite connections answer what PostgreSQL answers: the
/// same SQL runs on both backends and the results are compared.
@Suite("SQLite connector: PostgreSQL-compatible functions")
struct SQLiteFunctionsTests {
    static func withConnectors<T>(_ body: (SQLiteConnector, PostgresConnector) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory(prefix: "sqlite-functions")
        defer { directory.remove() }
        let path = directory.file("f.sqlite")
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "CREATE TABLE n (x REAL)")
            for x in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] { try db.execute(sql: "INSERT INTO n VALUES (?)", arguments: [x]) }
        }
        try queue.close()
        let lite = SQLiteConnector(datasetID: "lite", path: path, settings: ConnectorFixtures.settings(), logger: ConnectorFixtures.logger)
        return try await ConnectorFixtures.withDatabase { database in
            try await TestPostgres.execute(
                ["CREATE TABLE n (x float8)", "INSERT INTO n VALUES (2), (4), (4), (4), (5), (5), (7), (9)"],
                on: database.url
            )
            return try await ConnectorFixtures.withPostgres(database.url) { postgres in try await body(lite, postgres) }
        }
    }

    static func value(_ connector: any DatasetConnector, _ sql: String) async throws -> JSONValue? {
        try await connector.query(sql, binds: [], maxRows: 1, timeout: .seconds(5)).rows.first?.first
    }

    static let moments = [
        "2024-05-15 13:45:30.5", "2021-01-03 00:00:00", "2024-12-30 23:59:59", "2000-02-29 12:00:00", "1999-12-31 23:59:59.999",
        "1969-07-20 20:17:40",
    ]

    @Test("date_trunc agrees with PostgreSQL for every unit")
    func dateTrunc() async throws {
        try await Self.withConnectors { lite, postgres in
            for moment in Self.moments {
                for unit in ["second", "minute", "hour", "day", "week", "month", "quarter", "year", "decade", "century", "millennium"] {
                    let mine = try await Self.value(lite, "SELECT date_trunc('\(unit)', '\(moment)')")
                    let theirs = try await Self.value(postgres, "SELECT date_trunc('\(unit)', '\(moment)'::timestamp)::text")
                    #expect(mine == theirs, "\(unit) of \(moment)")
                }
            }
            let value1 = try await Self.value(lite, "SELECT date_trunc('day', '2024-05-15T23:30:00-02:00')")
            #expect(value1 == "2024-05-16 00:00:00")
            let value2 = try await Self.value(lite, "SELECT date_trunc('hour', '2024-05-15T23:30:00Z')")
            #expect(value2 == "2024-05-15 23:00:00")
            let value3 = try await Self.value(lite, "SELECT date_trunc('month', 0)")
            #expect(value3 == "1970-01-01 00:00:00")
            let value4 = try await Self.value(lite, "SELECT date_trunc('month', 'not a date')")
            #expect(value4 == .null)
            let value5 = try await Self.value(lite, "SELECT date_trunc('month', NULL)")
            #expect(value5 == .null)
            await expectError(.queryFailed) { _ = try await Self.value(lite, "SELECT date_trunc('fortnight', '2024-01-01')") }
        }
    }

    @Test("date_part agrees with PostgreSQL, ISO weeks included")
    func datePart() async throws {
        try await Self.withConnectors { lite, postgres in
            for moment in Self.moments {
                for field in [
                    "year", "quarter", "month", "week", "day", "hour", "minute", "second", "dow", "isodow", "doy", "epoch", "decade", "century",
                ] {
                    let mine = try await Self.value(lite, "SELECT date_part('\(field)', '\(moment)')")
                    let theirs = try await Self.value(postgres, "SELECT date_part('\(field)', '\(moment)'::timestamp)")
                    #expect(mine?.doubleValue == theirs?.doubleValue, "\(field) of \(moment)")
                    #expect(mine?.doubleValue != nil)
                }
            }
        }
    }

    @Test("greatest, least, concat, split_part and spread aggregates agree with PostgreSQL")
    func otherFunctions() async throws {
        try await Self.withConnectors { lite, postgres in
            let shared = [
                "SELECT greatest(3, NULL, 7, 5)", "SELECT least(3, NULL, 7, 5)", "SELECT greatest(NULL, NULL)",
                "SELECT greatest('apple', 'pear', 'banana')", "SELECT least(2.5, 1, 3)",
                "SELECT concat('a', NULL, 'b', 1)", "SELECT split_part('a,b,,c', ',', 2)",
                "SELECT split_part('a,b,,c', ',', 3)", "SELECT split_part('a,b,,c', ',', 9)", "SELECT split_part('a,b,,c', ',', -1)",
            ]
            for sql in shared {
                let mine = try await Self.value(lite, sql)
                let theirs = try await Self.value(postgres, sql)
                let sameNumber = mine?.doubleValue != nil && mine?.doubleValue == theirs?.doubleValue
                #expect(mine?.serialized() == theirs?.serialized() || sameNumber, "\(sql)")
                #expect(mine != nil)
            }
            for aggregate in ["stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop"] {
                let liteValue = try await Self.value(lite, "SELECT \(aggregate)(x) FROM n")
                let postgresValue = try await Self.value(postgres, "SELECT \(aggregate)(x) FROM n")
                let mine = try #require(liteValue?.doubleValue)
                let theirs = try #require(postgresValue?.doubleValue)
                #expect(abs(mine - theirs) < 1e-12, "\(aggregate)")
            }
            let value6 = try await Self.value(lite, "SELECT stddev(x) FROM n WHERE x > 8")
            #expect(value6 == .null)
            let now = try await lite.query(
                "SELECT now() BETWEEN datetime('now', '-1 minute') AND datetime('now', '+1 minute'), length(now())",
                binds: [],
                maxRows: 1,
                timeout: .seconds(5)
            )
            #expect(now.rows == [[1, 19]])
        }
    }
}
