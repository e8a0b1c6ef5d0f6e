import AnalyticsCore
import DataPlane
import PostgresNIO
import TestSupport
import Testing

@Suite("PostgreSQL values map to exact JSON with typed columns")
struct PostgresValueMappingTests {
    static let columns: [(name: String, type: String, literal: String, expected: JSONValue, reported: String)] = [
        ("i2", "int2", "-32768", -32768, "int2"),
        ("i4", "int4", "2147483647", 2_147_483_647, "int4"),
        ("i8", "int8", "-9223372036854775808", .int(Int64.min), "int8"),
        ("f4", "float4", "1.1", 1.1, "float4"),
        ("f8", "float8", "0.1", 0.1, "float8"),
        ("f8nan", "float8", "'NaN'", "NaN", "float8"),
        ("f8inf", "float8", "'-Infinity'", "-Infinity", "float8"),
        ("n", "numeric", "123456789012345678901234567890.123456789", .number("123456789012345678901234567890.123456789"), "numeric"),
        ("nsmall", "numeric(12,4)", "-0.0005", .number("-0.0005"), "numeric"),
        ("nint", "numeric", "100000000", .number("100000000"), "numeric"),
        ("nnan", "numeric", "'NaN'", "NaN", "numeric"),
        ("b", "bool", "true", true, "bool"),
        ("t", "text", "E'h\\u00e9llo \"q\"\\n'", "héllo \"q\"\n", "text"),
        ("vc", "varchar(10)", "'abc'", "abc", "varchar"),
        ("bp", "char(5)", "'ab'", "ab   ", "bpchar"),
        ("nm", "name", "'pg_class'", "pg_class", "name"),
        ("ct", "citext", "'MixedCase'", "MixedCase", "citext"),
        ("u", "uuid", "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "uuid"),
        ("d", "date", "'2024-02-29'", "2024-02-29", "date"),
        ("dold", "date", "'1899-12-31'", "1899-12-31", "date"),
        ("dinf", "date", "'infinity'", "infinity", "date"),
        ("ts", "timestamp", "'2024-03-05 06:07:08.5'", "2024-03-05T06:07:08.5", "timestamp"),
        ("tstz", "timestamptz", "'2024-03-05 06:07:08.123456+02'", "2024-03-05T04:07:08.123456Z", "timestamptz"),
        ("tstz0", "timestamptz", "'1999-12-31 23:59:59Z'", "1999-12-31T23:59:59Z", "timestamptz"),
        ("tm", "time", "'13:14:15.25'", "13:14:15.25", "time"),
        ("tmtz", "timetz", "'13:14:15+05:30'", "13:14:15+05:30", "timetz"),
        ("iv", "interval", "'1 year 2 months 3 days 04:05:06'", "P1Y2M3DT4H5M6S", "interval"),
        ("iv2", "interval", "'-1 year -2 months +3 days -04:05:06.5'", "P-1Y-2M3DT-4H-5M-6.5S", "interval"),
        ("iv3", "interval", "'1.5 seconds'", "PT1.5S", "interval"),
        ("iv0", "interval", "'0'", "PT0S", "interval"),
        ("by", "bytea", "'\\x000102ff'", "AAEC/w==", "bytea"),
        (
            "j", "json", "'{\"a\": [1, 2.50, 12345678901234567890.1], \"b\": null}'",
            ["a": [1, .number("2.50"), .number("12345678901234567890.1")], "b": nil], "json"
        ),
        ("jb", "jsonb", "'{\"k\": true, \"n\": 1e3, \"x\": 1.0}'", ["k": true, "n": 1000, "x": .number("1.0")], "jsonb"),
        ("ai", "int4[]", "'{1,NULL,3}'", [1, nil, 3], "int4[]"),
        ("at", "text[]", "'{\"a\",\"b c\",NULL}'", ["a", "b c", nil], "text[]"),
        ("a2", "int4[]", "'{{1,2},{3,4}}'", [[1, 2], [3, 4]], "int4[]"),
        ("aempty", "int4[]", "'{}'", [], "int4[]"),
        ("an", "numeric[]", "'{1.50,NULL}'", [.number("1.50"), nil], "numeric[]"),
        ("ats", "timestamptz[]", "ARRAY['2024-01-01 00:00:00Z'::timestamptz]", ["2024-01-01T00:00:00Z"], "timestamptz[]"),
        ("ip", "inet", "'192.168.0.1/24'", "192.168.0.1/24", "inet"),
        ("ip6", "inet", "'2001:db8::1'", "2001:db8::1", "inet"),
        ("cid", "cidr", "'10.0.0.0/8'", "10.0.0.0/8", "cidr"),
        ("e", "mood", "'happy'", "happy", "mood"),
        ("ea", "mood[]", "'{sad,happy}'", ["sad", "happy"], "mood[]"),
        ("r", "int4range", "'[1,10)'", "[1,10)", "int4range"),
        ("ipa", "inet[]", "'{::1,10.1.2.3}'", ["::1", "10.1.2.3"], "inet[]"),
        ("pt", "point", "'(1.5,2)'", "(1.5,2)", "point"),
        ("nul", "int4", "NULL", nil, "int4"),
    ]

    @Test("one column per type, known values, exact JSON")
    func everyType() async throws {
        try await ConnectorFixtures.withDatabase { database in
            let columns = Self.columns
            try await TestPostgres.execute(
                [
                    "CREATE EXTENSION citext",
                    "CREATE TYPE mood AS ENUM ('sad', 'happy')",
                    "CREATE TABLE v (" + columns.map { "\($0.name) \($0.type)" }.joined(separator: ", ") + ", m money)",
                    "INSERT INTO v VALUES (" + columns.map(\.literal).joined(separator: ", ") + ", 1234.56)",
                ],
                on: database.url
            )
            try await ConnectorFixtures.withPostgres(database.url) { connector in
                let result = try await connector.query("SELECT * FROM v", binds: [], maxRows: 5, timeout: .seconds(10))
                let row = try #require(result.rows.first)
                for (index, column) in columns.enumerated() {
                    #expect(result.columns[index] == ColumnInfo(name: column.name, type: column.reported))
                    #expect(row[index] == column.expected, "column \(column.name)")
                }
                // money renders in the server's lc_monetary: the expected text comes from the server.
                let money = try await ConnectorFixtures.text("SELECT format('%s', m) FROM v", on: database.url)
                #expect(result.columns.last == ColumnInfo(name: "m", type: "money"))
                #expect(row.last == money.map(JSONValue.string))

                let serialized = JSONValue.array(row).serialized()
                #expect(serialized.contains("123456789012345678901234567890.123456789"))
                #expect(serialized.contains("12345678901234567890.1"))

                let records = try await connector.query(
                    "SELECT ROW(1, 'a', NULL::int, '2024-01-01'::date) AS r, v AS whole FROM v",
                    binds: [],
                    maxRows: 1,
                    timeout: .seconds(10)
                )
                #expect(records.columns.first == ColumnInfo(name: "r", type: "record"))
                #expect(records.rows.first?.first == [1, "a", nil, "2024-01-01"])
                #expect(records.rows.first?.last?.arrayValue?.count == columns.count + 1)
            }
        }
    }

    @Test("intervals read exactly as PostgreSQL's own iso_8601 output")
    func intervalsMatchServer() async throws {
        try await ConnectorFixtures.withDatabase { database in
            let literals = [
                "'1 year 2 months 3 days 04:05:06'", "'-1 year -2 months +3 days -04:05:06.5'", "'1.5 seconds'", "'0'",
                "'-0.000001 seconds'", "'100 hours'", "'-3 months'", "'27 days 23:59:59.999999'", "'-178000000 years'",
            ]
            try await TestPostgres.execute(
                ["CREATE TABLE iv (k int, v interval)"]
                    + literals.enumerated().map { "INSERT INTO iv VALUES (\($0.offset), \($0.element))" },
                on: database.url
            )
            let expected = try await TestPostgres.withConnection(to: database.url) { connection in
                try await connection.query("SET intervalstyle = iso_8601", logger: ConnectorFixtures.logger)
                let rows = try await connection.query("SELECT v::text FROM iv ORDER BY k", logger: ConnectorFixtures.logger).collect()
                return try rows.map { JSONValue.string(try $0.decode(String.self)) }
            }
            try await ConnectorFixtures.withPostgres(database.url) { connector in
                let result = try await connector.query("SELECT v FROM iv ORDER BY k", binds: [], maxRows: 20, timeout: .seconds(5))
                #expect(result.rows.map { $0[0] } == expected)
                #expect(expected.count == literals.count)
            }
        }
    }
}
