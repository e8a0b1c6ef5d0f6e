import AnalyticsCore
import DataPlane
import Foundation
import TestSupport
import Testing

@Suite("PostgreSQL credential audit")
struct PostgresCredentialAuditTests {
    @Test("superuser warns; SELECT-only is clean; write grants and CREATE are named")
    func audit() async throws {
        try await ConnectorFixtures.withDatabase { database in
            let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10).lowercased()
            let reader = "reader_\(suffix)"
            let password = "pw_\(suffix)"
            try await TestPostgres.execute(
                [
                    "CREATE TABLE respondents (id int)",
                    "CREATE TABLE events (id int)",
                    "CREATE TABLE extra_a (id int)",
                    "CREATE VIEW recent AS SELECT * FROM events",
                    "CREATE SCHEMA staging",
                    "CREATE ROLE \(reader) LOGIN PASSWORD '\(password)'",
                    "GRANT CONNECT ON DATABASE \"\(database.name)\" TO \(reader)",
                    "GRANT USAGE ON SCHEMA public TO \(reader)",
                    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(reader)",
                ],
                on: database.url
            )
            let server = try TestPostgres.serverURL()
            let readerURL = try ConnectorFixtures.url(server, database: database.name, user: reader, password: password)

            let superuserWarnings = try await ConnectorFixtures.withPostgres(database.url) { try await $0.auditCredentials() }
            #expect(superuserWarnings.count == 1)
            #expect(superuserWarnings.first?.contains("is a superuser") == true)

            let clean = try await ConnectorFixtures.withPostgres(readerURL) { connector in
                let rows = try await connector.query("SELECT count(*) FROM respondents", binds: [], maxRows: 1, timeout: .seconds(5))
                #expect(rows.rows == [[0]])
                return try await connector.auditCredentials()
            }
            #expect(clean == [])

            try await TestPostgres.execute(
                [
                    "GRANT INSERT ON respondents TO \(reader)",
                    "GRANT DELETE ON respondents, events, extra_a TO \(reader)",
                    "GRANT CREATE ON SCHEMA staging TO \(reader)",
                    "ALTER ROLE \(reader) CREATEDB",
                ],
                on: database.url
            )
            let warnings = try await ConnectorFixtures.withPostgres(readerURL) { try await $0.auditCredentials() }
            #expect(
                warnings == [
                    "login '\(reader)' may create databases (CREATEDB).",
                    "login '\(reader)' may INSERT into public.respondents.",
                    "login '\(reader)' may DELETE from public.events (and 2 more).",
                    "login '\(reader)' may CREATE objects in schema staging.",
                ]
            )
            try await TestPostgres.execute(
                ["DROP OWNED BY \(reader)", "REVOKE ALL ON DATABASE \"\(database.name)\" FROM \(reader)"],
                on: database.url
            )
            try await TestPostgres.execute(
                [
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '\(reader)'",
                    "DROP ROLE \(reader)",
                ],
                on: server
            )
        }
    }
}
