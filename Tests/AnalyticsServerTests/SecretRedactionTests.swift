import AnalyticsCore
import AnalyticsServer
import Foundation
import PostgresNIO
import TestSupport
import Testing

@Suite("Secret redaction")
struct SecretRedactionTests {
    @Test("a dataset password never appears in responses, logs or the store", arguments: StoreBackend.allCases)
    func passwordNeverLeaks(backend: StoreBackend) async throws {
        let database = try await TestPostgres.createDatabase(prefix: "secret")
        let role = "reader_\(UUID().uuidString.prefix(8).lowercased())"
        let password = "Zq\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))Xp"
        try await TestPostgres.execute(
            ["CREATE ROLE \(role) LOGIN PASSWORD '\(password)'", "GRANT CONNECT ON DATABASE \"\(database.name)\" TO \(role)"],
            on: database.url
        )
        let url = "postgres://\(role):\(password)@\(database.url.host!):\(database.url.port!)/\(database.name)?sslmode=disable"
        do {
            try await TestApp.run(backend) { app in
                var bodies: [String] = []
                let created = try await app.request(
                    .post,
                    "/api/datasets",
                    json: ["id": "secretive", "name": "Secretive", "connection_url": .string(url)]
                )
                #expect(created.status == .created, "\(created.text)")
                #expect(created.json?["connection_url"]?.stringValue?.contains(":***@") == true)
                bodies.append(created.text)
                bodies.append(try await app.request(.get, "/api/datasets/secretive").text)
                bodies.append(try await app.request(.get, "/api/datasets").text)
                bodies.append(try await app.request(.patch, "/api/datasets/secretive", json: ["description": "d"]).text)
                bodies.append(try await app.request(.patch, "/api/datasets/secretive", json: ["connection_url": .string(url)]).text)
                bodies.append(try await app.request(.get, "/api/datasets/secretive/history").text)
                let wrong = url.replacingOccurrences(of: password, with: password + "nope")
                let refused = try await app.request(.post, "/api/datasets", json: ["id": "wrongpw", "name": "W", "connection_url": .string(wrong)])
                #expect(refused.errorCode == "CONNECTION_FAILED")
                #expect(refused.json?["error"]?["message"]?.stringValue?.contains("authentication failed") == true)
                bodies.append(refused.text)
                for body in bodies {
                    #expect(!body.contains(password), "password leaked in a response")
                }
                #expect(!app.logs.all.isEmpty)
                #expect(!app.logs.all.contains { $0.contains(password) }, "password leaked in the log")

                switch backend {
                case .sqlite:
                    let path = String(app.storeURL.dropFirst("sqlite:".count))
                    for file in [path, path + "-wal", path + "-shm"] {
                        guard let bytes = FileManager.default.contents(atPath: file) else { continue }
                        #expect(bytes.range(of: Data(password.utf8)) == nil, "password in clear in \(file)")
                    }
                case .postgres:
                    let storeURL = try ConnectionURL(app.storeURL)
                    let leaked = try await TestPostgres.withConnection(to: storeURL) { connection in
                        let tables = try await connection.query(
                            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
                            logger: .init(label: "t")
                        )
                        var names: [String] = []
                        for try await name in tables.decode(String.self) { names.append(name) }
                        var hits = 0
                        for name in names {
                            let rows = try await connection.query(
                                PostgresQuery(
                                    unsafeSQL: "SELECT count(*)::int FROM \"\(name)\" t WHERE position($1 in t::text) > 0",
                                    binds: try {
                                        var binds = PostgresBindings()
                                        try binds.append(password, context: .default)
                                        return binds
                                    }()
                                ),
                                logger: .init(label: "t")
                            )
                            for try await count in rows.decode(Int.self) { hits += count }
                        }
                        return (names.count, hits)
                    }
                    #expect(leaked.0 > 3)
                    #expect(leaked.1 == 0, "password stored in clear")
                }
            }
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }
}
