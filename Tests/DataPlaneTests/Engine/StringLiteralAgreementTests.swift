import AnalyticsCore
import DataPlane
import TestSupport
import Testing

/// The guard parses SQL as PostgreSQL does with `standard_conforming_strings = on`; a database
/// configured otherwise must not read the same text differently.
@Suite("Engine: the guard and the database read string literals alike")
struct StringLiteralAgreementTests {
    /// With standard-conforming strings `'\'` is a one-character string and the rest a comment; with
    /// them off, `\'` escapes the quote and `pg_read_file` would run.
    static let smuggling = #"SELECT '\' AS a -- ', pg_read_file('PG_VERSION') AS b --'"#

    @Test("a database with standard_conforming_strings off still runs the statement the guard read")
    func standardConformingStrings() async throws {
        try await ConnectorFixtures.withDatabase { database in
            try await TestPostgres.execute(
                [
                    "ALTER DATABASE \"\(database.name)\" SET standard_conforming_strings = off",
                    "CREATE TABLE t AS SELECT 1 AS n",
                ],
                on: database.url
            )
            let direct = try await TestPostgres.withConnection(to: database.url) { connection in
                var setting = ""
                for try await row in try await connection.query("SHOW standard_conforming_strings", logger: .init(label: "test")) {
                    setting = try row.decode(String.self)
                }
                return setting
            }
            #expect(direct == "off", "the control: a plain connection to this database reads backslashes as escapes")

            try await EngineHarness.with { harness in
                try await harness.addDataset("legacy", url: database.url)
                let setting = try await harness.query("legacy", "SELECT current_setting('standard_conforming_strings') AS s")
                #expect(setting.rows == [["on"]])
                let result = try await harness.query("legacy", Self.smuggling)
                #expect(result.columns.map(\.name) == ["a"], "only the column the guard saw")
                #expect(result.rows == [[#"\"#]])
            }
        }
    }
}
