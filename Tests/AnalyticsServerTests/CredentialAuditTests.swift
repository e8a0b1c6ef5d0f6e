import AnalyticsCore
import Foundation
import TestSupport
import Testing

/// Registration audits the dataset login: what it could do beyond reading is stored on the dataset
/// as loud warnings, or refused with `--refuse-privileged-logins`.
@Suite("Credential audit at registration")
struct CredentialAuditTests {
    @Test("a superuser login is registered with a warning; a SELECT-only login without; refusal on request")
    func auditAtRegistration() async throws {
        let database = try await TestPostgres.createDatabase(prefix: "audit")
        let role = "reader_\(UUID().uuidString.prefix(8).lowercased())"
        do {
            try await TestPostgres.execute(
                [
                    "CREATE TABLE panel AS SELECT 1 AS n",
                    "CREATE ROLE \(role) LOGIN PASSWORD 'reader-secret'",
                    "GRANT CONNECT ON DATABASE \"\(database.name)\" TO \(role)",
                    "GRANT USAGE ON SCHEMA public TO \(role)",
                    "GRANT SELECT ON panel TO \(role)",
                ],
                on: database.url
            )
            var components = try #require(URLComponents(string: database.url.raw))
            components.user = role
            components.password = "reader-secret"
            let readerURL = try #require(components.string)

            try await TestApp.run(.sqlite) { app in
                let superuser = try await app.request(
                    .post,
                    "/api/datasets",
                    json: ["id": "su", "name": "Superuser panel", "connection_url": .string(database.url.raw)]
                )
                #expect(superuser.status == .created, "\(superuser.text.prefix(300))")
                let warnings = superuser.json?["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
                #expect(warnings.count == 1 && warnings[0].contains("is a superuser"), "\(warnings)")
                #expect(!superuser.text.contains("reader-secret"))

                let reader = try await app.request(
                    .post,
                    "/api/datasets",
                    json: ["id": "ro", "name": "Read-only panel", "connection_url": .string(readerURL)]
                )
                #expect(reader.status == .created, "\(reader.text.prefix(300))")
                #expect(reader.json?["warnings"] == [], "a SELECT-only login raises nothing")
                #expect(!reader.text.contains("reader-secret"), "the password never comes back")
            }

            try await TestApp.run(.sqlite, configure: { $0.refusePrivilegedLogins = true }) { app in
                let refused = try await app.request(
                    .post,
                    "/api/datasets",
                    json: ["id": "su", "name": "Superuser panel", "connection_url": .string(database.url.raw)]
                )
                #expect(refused.status == .unprocessableContent)
                #expect(refused.errorCode == "PRIVILEGED_LOGIN")
                #expect(try await app.request(.get, "/api/datasets/su").errorCode == "DATASET_NOT_FOUND", "nothing half-registered")
                let reader = try await app.request(
                    .post,
                    "/api/datasets",
                    json: ["id": "ro", "name": "Read-only panel", "connection_url": .string(readerURL)]
                )
                #expect(reader.status == .created)
            }
        } catch {
            try? await TestPostgres.execute(["DROP OWNED BY \(role)", "DROP ROLE IF EXISTS \(role)"], on: database.url)
            await database.drop()
            throw error
        }
        await database.drop()
        try? await TestPostgres.execute(["DROP ROLE IF EXISTS \(role)"], on: try TestPostgres.serverURL())
    }
}
