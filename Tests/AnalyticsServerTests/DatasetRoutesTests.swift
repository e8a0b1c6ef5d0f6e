import AnalyticsCore
import AnalyticsServer
import Foundation
import TestSupport
import Testing

@Suite("Dataset registry routes")
struct DatasetRoutesTests {
    static func sqliteDataset(_ app: TestApp, id: String = "panel", tags: [JSONValue] = ["tv"]) throws -> JSONValue {
        let path = app.directory.file("\(id).sqlite")
        try TestSQLite.createSampleDatabase(at: path)
        return ["id": .string(id), "name": .string("Panel \(id)"), "connection_url": .string("sqlite:" + path), "tags": .array(tags)]
    }

    @Test("create, read, list, filter, patch and soft-delete", arguments: StoreBackend.allCases)
    func crud(backend: StoreBackend) async throws {
        try await TestApp.run(backend) { app in
            let created = try await app.request(.post, "/api/datasets", json: try Self.sqliteDataset(app, id: "alpha", tags: ["TV", "panel"]))
            #expect(created.status == .created)
            #expect(created.json?["state"]?.stringValue == "draft")
            #expect(created.json?["tags"] == ["tv", "panel"])
            #expect(created.json?["version"]?.intValue == 1)
            _ = try await app.request(.post, "/api/datasets", json: try Self.sqliteDataset(app, id: "beta", tags: ["retail"]))

            let all = try await app.request(.get, "/api/datasets")
            #expect(all.json?["datasets"]?.arrayValue?.compactMap { $0["id"]?.stringValue }.sorted() == ["alpha", "beta"])
            let tagged = try await app.request(.get, "/api/datasets?tag=retail")
            #expect(tagged.json?["datasets"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["beta"])
            let drafts = try await app.request(.get, "/api/datasets?state=draft")
            #expect(drafts.json?["datasets"]?.arrayValue?.count == 2)
            let active = try await app.request(.get, "/api/datasets?state=active")
            #expect(active.json?["datasets"]?.arrayValue?.count == 0)
            #expect(try await app.request(.get, "/api/datasets?state=bogus").errorCode == "INVALID_REQUEST")

            let patched = try await app.request(
                .patch,
                "/api/datasets/alpha",
                as: .reviewer,
                json: ["description": "TV diary", "note": "first pass"]
            )
            #expect(patched.status == .ok)
            #expect(patched.json?["description"]?.stringValue == "TV diary")
            #expect(patched.json?["version"]?.intValue == 2)
            let read = try await app.request(.get, "/api/datasets/alpha")
            #expect(read.json?["description"]?.stringValue == "TV diary")

            let history = try await app.request(.get, "/api/datasets/alpha/history")
            let versions = history.json?["versions"]?.arrayValue ?? []
            #expect(versions.count == 2)
            #expect(versions.contains { $0["author"]?.stringValue == app.userIDs[.reviewer] && $0["note"]?.stringValue == "first pass" })

            let deleted = try await app.request(.delete, "/api/datasets/alpha")
            #expect(deleted.status == .ok)
            #expect(deleted.json?["state"]?.stringValue == "inactive")
            #expect(try await app.request(.get, "/api/datasets/alpha").json?["state"]?.stringValue == "inactive")
        }
    }

    @Test("bad requests get coded errors and change nothing", arguments: StoreBackend.allCases)
    func badRequests(backend: StoreBackend) async throws {
        try await TestApp.run(backend) { app in
            let valid = try Self.sqliteDataset(app)
            let malformed = try await app.request(.post, "/api/datasets", body: "{\"name\": ")
            #expect(malformed.status == .badRequest)
            #expect(malformed.errorCode == "MALFORMED_JSON")
            #expect(try await app.request(.post, "/api/datasets", body: "[1,2]").errorCode == "INVALID_REQUEST")
            let unknownField = try await app.request(.post, "/api/datasets", json: ["name": "x", "connection_url": "sqlite:x", "nmae": "typo"])
            #expect(unknownField.errorCode == "INVALID_REQUEST")
            #expect(unknownField.json?["error"]?["message"]?.stringValue?.contains("nmae") == true)
            let missing = try await app.request(.post, "/api/datasets", json: ["name": "x"])
            #expect(missing.errorCode == "INVALID_REQUEST")
            #expect(missing.json?["error"]?["message"]?.stringValue?.contains("connection_url") == true)
            let wrongType = try await app.request(.post, "/api/datasets", json: ["name": 5, "connection_url": "sqlite:x"])
            #expect(wrongType.errorCode == "INVALID_REQUEST")
            for url in ["mysql://u:p@h/db", "postgres://", "sqlite:", "not a url", "postgres://u:p@h:99999/db"] {
                let result = try await app.request(.post, "/api/datasets", json: ["name": "x", "connection_url": .string(url)])
                #expect(result.status == .badRequest, "\(url)")
                #expect(result.errorCode == "INVALID_CONNECTION_URL", "\(url)")
            }
            let badID = try await app.request(
                .post,
                "/api/datasets",
                json: ["id": "Bad-ID", "name": "x", "connection_url": valid["connection_url"]!]
            )
            #expect(badID.errorCode == "INVALID_REQUEST")
            let badSettings = try await app.request(
                .post,
                "/api/datasets",
                json: ["name": "x", "connection_url": valid["connection_url"]!, "settings": ["pool_size": 0]]
            )
            #expect(badSettings.errorCode == "INVALID_REQUEST")
            let missingFile = try await app.request(.post, "/api/datasets", json: ["name": "x", "connection_url": "sqlite:/nonexistent/file.sqlite"])
            #expect(missingFile.status.code == 422)
            #expect(missingFile.errorCode == "CONNECTION_FAILED")
            let unreachable = try await app.request(
                .post,
                "/api/datasets",
                json: ["name": "x", "connection_url": "postgres://u:pw@127.0.0.1:1/db?sslmode=disable"]
            )
            #expect(unreachable.errorCode == "CONNECTION_FAILED")
            #expect(!unreachable.text.contains("pw@"))

            #expect(try await app.request(.get, "/api/datasets").json?["datasets"]?.arrayValue?.count == 0, "nothing was stored")
            #expect(try await app.request(.post, "/api/datasets", json: valid).status == .created)
            let duplicate = try await app.request(.post, "/api/datasets", json: valid)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.errorCode == "DATASET_EXISTS")

            for (method, path) in [
                ("GET", "/api/datasets/ghost"), ("PATCH", "/api/datasets/ghost"), ("DELETE", "/api/datasets/ghost"),
                ("POST", "/api/datasets/ghost/transitions"), ("GET", "/api/datasets/ghost/history"),
            ] {
                let result = try await app.request(
                    .init(rawValue: method)!,
                    path,
                    json: method == "POST" ? ["to": "metadata_pending"] : ["description": "x"]
                )
                #expect(result.status == .notFound, "\(method) \(path)")
                #expect(result.errorCode == "DATASET_NOT_FOUND", "\(method) \(path)")
            }
            let badState = try await app.request(.post, "/api/datasets/panel/transitions", json: ["to": "launched"])
            #expect(badState.errorCode == "INVALID_REQUEST")
        }
    }

    @Test("a dataset walks every lifecycle state and illegal moves are refused with the allowed targets", arguments: StoreBackend.allCases)
    func lifecycle(backend: StoreBackend) async throws {
        try await TestApp.run(backend) { app in
            #expect(try await app.request(.post, "/api/datasets", json: try Self.sqliteDataset(app)).status == .created)
            func move(_ to: String) async throws -> APIResult {
                try await app.request(
                    .post,
                    "/api/datasets/panel/transitions",
                    as: .reviewer,
                    json: ["to": .string(to), "note": .string("to \(to)")]
                )
            }
            let illegal = try await move("active")
            #expect(illegal.status == .conflict)
            #expect(illegal.errorCode == "INVALID_TRANSITION")
            #expect(illegal.json?["error"]?["details"]?["allowed"] == ["metadata_pending", "inactive"])

            let path = ["metadata_pending", "human_review", "draft", "metadata_pending", "human_review", "approved", "active", "inactive", "active"]
            for state in path {
                let result = try await move(state)
                #expect(result.status == .ok, "→ \(state): \(result.text)")
                #expect(result.json?["state"]?.stringValue == state)
                #expect(try await app.request(.get, "/api/datasets/panel", as: .viewer).json?["state"]?.stringValue == state)
            }
            let readBack = try await app.request(.get, "/api/datasets/panel")
            #expect(readBack.json?["ever_approved"]?.boolValue == true)
            let again = try await move("approved")
            #expect(again.errorCode == "INVALID_TRANSITION")
            #expect(again.json?["error"]?["details"]?["allowed"] == ["inactive"])

            let history = try await app.request(.get, "/api/datasets/panel/history")
            let transitions = history.json?["transitions"]?.arrayValue ?? []
            #expect(transitions.count == path.count)
            #expect(transitions.allSatisfy { $0["actor"]?.stringValue == app.userIDs[.reviewer] })
            #expect(transitions.map { $0["to"]?.stringValue ?? "" } == path)
        }
    }
}
