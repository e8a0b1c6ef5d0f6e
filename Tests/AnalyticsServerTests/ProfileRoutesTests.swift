import AnalyticsCore
import AnalyticsServer
import DataPlane
import DemoPanel
import Foundation
import Logging
import TestSupport
import Testing

/// `POST|GET /api/datasets/{id}/profile` (the POST queues a job the server's worker runs), `…/profile/versions` and `…/quality` over real HTTP, a
/// real store and a real dataset (a SQLite demo file with the SQLite store, a PostgreSQL demo
/// database with the PostgreSQL store).
@Suite("Profile and quality routes")
struct ProfileRoutesTests {
    static let spec: DemoPanelSpec = {
        guard let day = try? DemoDay(year: 2025, month: 6, day: 30) else { fatalError("fixture date") }
        return DemoPanelSpec(seed: 3, scale: 0.05, endDay: day)
    }()

    /// A demo panel the dataset points at, on the same kind of database as the store.
    static func withDemo(_ backend: StoreBackend, _ app: TestApp, _ body: (String) async throws -> Void) async throws {
        switch backend {
        case .sqlite:
            let path = app.directory.file("demo.sqlite")
            try DemoPanelWriter(spec: self.spec, logger: Logger(label: "test.demo")).write(to: path)
            try await body("sqlite:" + path)
        case .postgres:
            let database = try await TestPostgres.createDatabase(prefix: "rdemo")
            do {
                try await DemoPanelLoader(spec: self.spec, logger: Logger(label: "test.demo")).load(into: database.url)
                try await body(database.url.raw)
                await database.drop()
            } catch {
                await database.drop()
                throw error
            }
        }
    }

    @Test("reviewers profile, everyone reads versions, profiles and findings", arguments: StoreBackend.allCases)
    func profileAndRead(backend: StoreBackend) async throws {
        try await TestApp.run(backend) { app in
            try await Self.withDemo(backend, app) { url in
                let created = try await app.request(.post, "/api/datasets", json: ["id": "panel", "name": "Panel", "connection_url": .string(url)])
                #expect(created.status == .created)

                let none = try await app.request(.get, "/api/datasets/panel/profile", as: .viewer)
                #expect(none.status == .notFound)
                #expect(none.errorCode == "PROFILE_NOT_FOUND")
                #expect(try await app.request(.get, "/api/datasets/panel/quality", as: .viewer).errorCode == "PROFILE_NOT_FOUND")

                let firstJob = try await app.request(.post, "/api/datasets/panel/profile", as: .reviewer)
                #expect(firstJob.status == .accepted, "\(firstJob.text.prefix(300))")
                #expect(firstJob.json?["kind"] == "profile")
                #expect(firstJob.json?["dataset_id"] == "panel")
                let firstID = try #require(firstJob.json?["id"]?.stringValue)
                let first = try await app.waitForJob(firstID)
                #expect(first["state"] == "succeeded", "\(first)")
                #expect(first["progress"] == 100)
                #expect(first["result"]?["profile_version"] == 1)
                #expect(first["result"]?["tables"] == 3)
                #expect(first["result"]?["findings"] == 0, "the demo panel is clean")
                #expect(first["result"]?["drift_changes"] == .null)
                let firstProfile = try await app.request(.get, "/api/datasets/panel/profile?version=1", as: .viewer)
                #expect(firstProfile.json?["backend"]?.stringValue == backend.rawValue)
                #expect(firstProfile.json?["tables"]?.arrayValue?.count == 3)
                #expect(firstProfile.json?["suggested_weighting"]?["weight_column"] == "weight")

                let secondJob = try await app.request(.post, "/api/datasets/panel/profile", as: .admin)
                #expect(secondJob.status == .accepted)
                let second = try await app.waitForJob(try #require(secondJob.json?["id"]?.stringValue))
                #expect(second["state"] == "succeeded")
                #expect(second["result"]?["profile_version"] == 2)
                #expect(second["result"]?["drift_changes"] == 0)

                let latest = try await app.request(.get, "/api/datasets/panel/profile", as: .viewer)
                #expect(latest.status == .ok)
                #expect(latest.json?["version"] == 2)
                #expect(latest.json?["tables"]?.arrayValue?.count == 3)
                let older = try await app.request(.get, "/api/datasets/panel/profile?version=1", as: .viewer)
                #expect(older.json?["version"] == 1)
                #expect(older.json?["tables"] == firstProfile.json?["tables"])
                let versions = try await app.request(.get, "/api/datasets/panel/profile/versions", as: .viewer)
                #expect(versions.json?["versions"]?.arrayValue?.compactMap { $0["version"]?.intValue } == [1, 2])
                let quality = try await app.request(.get, "/api/datasets/panel/quality", as: .viewer)
                #expect(quality.status == .ok)
                #expect(quality.json?["version"] == 2)
                #expect(quality.json?["findings"] == [])
                #expect(quality.json?["dataset_id"] == "panel")
                #expect(try await app.request(.get, "/api/datasets/panel/quality?version=1").json?["version"] == 1)
            }
        }
    }

    @Test("wrong roles, unknown datasets, bad versions and unreachable data get coded errors", arguments: StoreBackend.allCases)
    func badPaths(backend: StoreBackend) async throws {
        try await TestApp.run(backend) { app in
            try await Self.withDemo(backend, app) { url in
                #expect(
                    try await app.request(.post, "/api/datasets", json: ["id": "panel", "name": "Panel", "connection_url": .string(url)]).status
                        == .created
                )
                for role in [Role.viewer, .analyst] {
                    let refused = try await app.request(.post, "/api/datasets/panel/profile", as: role)
                    #expect(refused.status == .forbidden, "\(role)")
                    #expect(refused.errorCode == "ACCESS_DENIED")
                }
                #expect(try await app.request(.post, "/api/datasets/panel/profile", as: nil).status == .unauthorized)
                #expect(try await app.request(.get, "/api/datasets/panel/profile", as: nil).status == .unauthorized)
                #expect(try await app.request(.get, "/api/datasets/panel/profile/versions").json?["versions"] == [], "refused runs store nothing")

                for (method, path) in [
                    ("POST", "/api/datasets/ghost/profile"), ("GET", "/api/datasets/ghost/profile"),
                    ("GET", "/api/datasets/ghost/profile/versions"), ("GET", "/api/datasets/ghost/quality"),
                ] {
                    let result = try await app.request(.init(rawValue: method)!, path)
                    #expect(result.status == .notFound, "\(method) \(path)")
                    #expect(result.errorCode == "DATASET_NOT_FOUND", "\(method) \(path)")
                }

                let run = try await app.request(.post, "/api/datasets/panel/profile")
                #expect(run.status == .accepted)
                #expect(try await app.waitForJob(try #require(run.json?["id"]?.stringValue))["state"] == "succeeded")
                for bad in ["0", "-1", "abc", "1.5"] {
                    let result = try await app.request(.get, "/api/datasets/panel/profile?version=\(bad)")
                    #expect(result.status == .badRequest, "version=\(bad)")
                    #expect(result.errorCode == "INVALID_REQUEST")
                    #expect(try await app.request(.get, "/api/datasets/panel/quality?version=\(bad)").errorCode == "INVALID_REQUEST")
                }
                let missing = try await app.request(.get, "/api/datasets/panel/profile?version=7")
                #expect(missing.status == .notFound)
                #expect(missing.errorCode == "PROFILE_NOT_FOUND")
                #expect(try await app.request(.get, "/api/datasets/panel/quality?version=7").errorCode == "PROFILE_NOT_FOUND")
            }

            // A SQLite dataset whose file disappeared after registration.
            let path = app.directory.file("vanishing.sqlite")
            try TestSQLite.createSampleDatabase(at: path)
            #expect(
                try await app.request(.post, "/api/datasets", json: ["id": "vanishing", "name": "V", "connection_url": .string("sqlite:" + path)])
                    .status == .created
            )
            try FileManager.default.removeItem(atPath: path)
            let queued = try await app.request(.post, "/api/datasets/vanishing/profile")
            #expect(queued.status == .accepted)
            let failed = try await app.waitForJob(try #require(queued.json?["id"]?.stringValue))
            #expect(failed["state"] == "failed", "retried, then failed for good")
            #expect(failed["attempts"] == 3)
            let error = try #require(failed["error"]?.stringValue)
            #expect(error.hasPrefix("DATASET_UNAVAILABLE"), "\(error)")
            #expect(!error.contains(path), "no connection details in the error")
            #expect(try await app.request(.get, "/api/datasets/vanishing/profile/versions").json?["versions"] == [])
        }
    }
}
