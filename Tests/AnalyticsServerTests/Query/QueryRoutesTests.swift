import AnalyticsCore
import AnalyticsServer
import Foundation
import HTTPTypes
import TestSupport
import Testing

@Suite("Query routes: POST /api/query, POST /api/plans, GET /api/queries")
struct QueryRoutesTests {
    /// Registers a dataset (admin) and moves it through review to `active` (reviewer).
    static func register(_ app: TestApp, id: String, url: String, settings: JSONValue? = nil, activate: Bool = true) async throws {
        var body: JSONValue = ["id": .string(id), "name": .string("Panel \(id)"), "connection_url": .string(url)]
        if let settings, case .object(var fields) = body {
            fields["settings"] = settings
            body = .object(fields)
        }
        let created = try await app.request(.post, "/api/datasets", json: body)
        #expect(created.status == .created, "\(created.text)")
        guard activate else { return }
        for state in ["metadata_pending", "human_review", "approved", "active"] {
            let moved = try await app.request(.post, "/api/datasets/\(id)/transitions", as: .reviewer, json: ["to": .string(state)])
            #expect(moved.status == .ok, "\(moved.text)")
        }
    }

    static func sqliteDataset(_ app: TestApp, id: String = "lite", activate: Bool = true) async throws {
        let path = try TestSQLite.createSampleDatabase(at: app.directory.file("\(id).sqlite"), rows: 10)
        try await self.register(app, id: id, url: "sqlite:" + path, activate: activate)
    }

    @Test("a query answers with rows, repeats are cached, and the log shows both", arguments: StoreBackend.allCases)
    func queryAndLog(backend: StoreBackend) async throws {
        try await TestApp.run(backend) { app in
            try await Self.sqliteDataset(app)
            let sql = "SELECT gender, count(*) AS n FROM respondents GROUP BY gender ORDER BY gender"
            let first = try await app.request(.post, "/api/query", as: .analyst, json: ["dataset_id": "lite", "sql": .string(sql)])
            #expect(first.status == .ok, "\(first.text)")
            #expect(first.json?["rows"] == [["Female", 5], ["Male", 5]])
            #expect(first.json?["columns"]?.arrayValue?.map { $0["name"] } == ["gender", "n"])
            #expect(first.json?["row_count"] == 2 && first.json?["truncated"] == false && first.json?["cached"] == false)
            #expect(first.json?["aggregated"] == true && first.json?["dataset_id"] == "lite")
            let second = try await app.request(.post, "/api/query", as: .analyst, json: ["dataset_id": "lite", "sql": .string(sql), "persona": nil])
            #expect(second.json?["cached"] == true)
            let raw = try await app.request(
                .post,
                "/api/query",
                as: .analyst,
                json: ["dataset_id": "lite", "sql": "SELECT * FROM respondents", "limit": 50]
            )
            #expect(raw.json?["row_count"] == 5 && raw.json?["truncated"] == true)
            #expect(raw.json?["warnings"]?.arrayValue?.first?["code"] == "RAW_ROW_LIMIT")
            _ = try await app.request(.post, "/api/query", as: .admin, json: ["dataset_id": "lite", "sql": "UPDATE respondents SET weight = 0"])

            let log = try await app.request(.get, "/api/queries?dataset_id=lite", as: .viewer)
            #expect(log.status == .ok, "\(log.text)")
            let entries = log.json?["queries"]?.arrayValue ?? []
            #expect(entries.count == 4)
            #expect(entries.first { $0["id"] == first.json?["query_id"] }?["normalized_sql"]?.stringValue?.contains("GROUP BY gender") == true)
            #expect(entries.first { $0["id"] == second.json?["query_id"] }?["cached"] == true)
            #expect(entries.allSatisfy { $0["tool"] == "POST /api/query" })

            let errors = try await app.request(.get, "/api/queries?status=error", as: .viewer)
            #expect(errors.json?["queries"]?.arrayValue?.map { $0["error_code"] } == ["SQL_NOT_READ_ONLY"])
            let analystID = try #require(entries.first { $0["principal_name"] == "test-analyst" }?["principal_id"]?.stringValue)
            #expect(analystID == app.userIDs[.analyst], "the query log names the user, not the token")
            let mine = try await app.request(.get, "/api/queries?principal=\(analystID)", as: .viewer)
            #expect(mine.json?["queries"]?.arrayValue?.count == 3)
            let limited = try await app.request(.get, "/api/queries?limit=1", as: .viewer)
            #expect(limited.json?["queries"]?.arrayValue?.count == 1)
            let future = try await app.request(.get, "/api/queries?since=2999-01-01T00:00:00Z", as: .viewer)
            #expect(future.json?["queries"]?.arrayValue?.count == 0)
            let past = try await app.request(.get, "/api/queries?since=2020-01-01", as: .viewer)
            #expect(past.json?["queries"]?.arrayValue?.count == 4)
            let other = try await app.request(.get, "/api/queries?dataset_id=other", as: .viewer)
            #expect(other.json?["queries"]?.arrayValue?.count == 0)
        }
    }

    @Test("bad requests get coded errors with fitting statuses")
    func badPaths() async throws {
        try await TestApp.run(.sqlite) { app in
            try await Self.sqliteDataset(app)
            try await Self.sqliteDataset(app, id: "draft_panel", activate: false)
            let malformed = try await app.request(.post, "/api/query", as: .analyst, body: "{\"dataset_id\": ")
            #expect(malformed.status == .badRequest && malformed.errorCode == "MALFORMED_JSON")
            let unknownField = try await app.request(.post, "/api/query", as: .analyst, json: ["dataset_id": "lite", "sql": "SELECT 1", "limt": 5])
            #expect(unknownField.status == .badRequest && unknownField.errorCode == "INVALID_REQUEST")
            #expect(unknownField.json?["error"]?["message"]?.stringValue?.contains("limt") == true)
            let missing = try await app.request(.post, "/api/query", as: .analyst, json: ["dataset_id": "lite"])
            #expect(missing.status == .badRequest && missing.json?["error"]?["message"]?.stringValue?.contains("sql") == true)
            let wrongType = try await app.request(.post, "/api/query", as: .analyst, json: ["dataset_id": "lite", "sql": "SELECT 1", "limit": "ten"])
            #expect(wrongType.status == .badRequest && wrongType.errorCode == "INVALID_REQUEST")

            let cases: [(String, String, HTTPResponse.Status, String)] = [
                ("ghost", "SELECT 1", .notFound, "DATASET_NOT_FOUND"),
                ("draft_panel", "SELECT 1", .conflict, "DATASET_NOT_ACTIVE"),
                ("lite", "DELETE FROM respondents", .badRequest, "SQL_NOT_READ_ONLY"),
                ("lite", "SELEC 1", .badRequest, "SQL_PARSE_ERROR"),
                ("lite", "SELECT 1; SELECT 2", .badRequest, "SQL_MULTIPLE_STATEMENTS"),
                ("lite", "SELECT pg_read_file('/etc/passwd')", .badRequest, "SQL_FORBIDDEN_FUNCTION"),
                ("lite", "  ", .badRequest, "SQL_EMPTY"),
                ("lite", "SELECT nope FROM respondents", .badRequest, "QUERY_FAILED"),
            ]
            for (dataset, sql, status, code) in cases {
                let result = try await app.request(.post, "/api/query", as: .analyst, json: ["dataset_id": .string(dataset), "sql": .string(sql)])
                #expect(result.errorCode == code, "\(sql): \(result.text)")
                #expect(result.status == status, "\(sql)")
                #expect(result.json?["error"]?["hint"]?.stringValue?.isEmpty == false, "\(sql) has a hint")
            }
            let zero = try await app.request(.post, "/api/query", as: .analyst, json: ["dataset_id": "lite", "sql": "SELECT 1", "limit": 0])
            #expect(zero.status == .badRequest && zero.errorCode == "INVALID_REQUEST")
            let viewer = try await app.request(.post, "/api/query", as: .viewer, json: ["dataset_id": "lite", "sql": "SELECT 1"])
            #expect(viewer.status == .forbidden && viewer.errorCode == "ACCESS_DENIED")
            let anonymous = try await app.request(.post, "/api/query", as: nil, json: ["dataset_id": "lite", "sql": "SELECT 1"])
            #expect(anonymous.status == .unauthorized && anonymous.errorCode == "UNAUTHENTICATED")

            for query in ["status=weird", "since=yesterday", "limit=0", "limit=x"] {
                let result = try await app.request(.get, "/api/queries?\(query)", as: .viewer)
                #expect(result.status == .badRequest && result.errorCode == "INVALID_REQUEST", "\(query)")
            }
            let anonymousLog = try await app.request(.get, "/api/queries", as: nil)
            #expect(anonymousLog.status == .unauthorized)
        }
    }

    @Test("plans answer per step, and bad plans are refused with codes")
    func plans() async throws {
        try await TestApp.run(.sqlite) { app in
            try await Self.sqliteDataset(app)
            let plan: JSONValue = [
                "queries": [
                    ["id": "genders", "dataset_id": "lite", "sql": "SELECT gender, count(*) AS n FROM respondents GROUP BY gender ORDER BY gender"],
                    ["id": "broken", "dataset_id": "lite", "sql": "DROP TABLE respondents"],
                    ["id": "weights", "dataset_id": "lite", "sql": "SELECT round(sum(weight), 2) AS w FROM respondents", "limit": 1],
                ],
                "deadline_ms": 10_000,
            ]
            let result = try await app.request(.post, "/api/plans", as: .analyst, json: plan)
            #expect(result.status == .ok, "\(result.text)")
            #expect(result.json?["succeeded"] == 2 && result.json?["failed"] == 1)
            let steps = result.json?["steps"]?.arrayValue ?? []
            #expect(steps.map { $0["id"] } == ["genders", "broken", "weights"])
            #expect(steps.map { $0["status"] } == ["ok", "error", "ok"])
            #expect(steps[0]["result"]?["rows"] == [["Female", 5], ["Male", 5]])
            #expect(steps[1]["error"]?["code"] == "SQL_NOT_READ_ONLY")
            let planID = try #require(result.json?["plan_id"]?.stringValue)
            let log = try await app.request(.get, "/api/queries", as: .viewer)
            let logged = log.json?["queries"]?.arrayValue ?? []
            #expect(logged.count == 3 && logged.allSatisfy { $0["plan_id"]?.stringValue == planID && $0["tool"] == "POST /api/plans" })

            let many = JSONValue.array((0..<51).map { ["id": .string("q\($0)"), "dataset_id": "lite", "sql": "SELECT 1"] })
            let tooLarge = try await app.request(.post, "/api/plans", as: .analyst, json: ["queries": many])
            #expect(tooLarge.status == .badRequest && tooLarge.errorCode == "PLAN_TOO_LARGE")
            let typo = try await app.request(
                .post,
                "/api/plans",
                as: .analyst,
                json: ["queries": [["id": "a", "dataset_id": "lite", "sqll": "SELECT 1"]]]
            )
            #expect(typo.status == .badRequest && typo.errorCode == "INVALID_REQUEST")
            #expect(typo.json?["error"]?["message"]?.stringValue?.contains("sqll") == true)
            let topTypo = try await app.request(.post, "/api/plans", as: .analyst, json: ["queries": [], "deadline": 5])
            #expect(topTypo.errorCode == "INVALID_REQUEST")
            let empty = try await app.request(.post, "/api/plans", as: .analyst, json: ["queries": []])
            #expect(empty.status == .badRequest && empty.errorCode == "INVALID_REQUEST")
            let badDeadline = try await app.request(
                .post,
                "/api/plans",
                as: .analyst,
                json: ["queries": [["id": "a", "dataset_id": "lite", "sql": "SELECT 1"]], "deadline_ms": "soon"]
            )
            #expect(badDeadline.status == .badRequest)
            let viewer = try await app.request(.post, "/api/plans", as: .viewer, json: plan)
            #expect(viewer.status == .forbidden && viewer.errorCode == "ACCESS_DENIED")
            let malformed = try await app.request(.post, "/api/plans", as: .analyst, body: "[")
            #expect(malformed.errorCode == "MALFORMED_JSON")
        }
    }

    @Test("a PostgreSQL dataset over REST: exact values, and a statement past its timeout is 504 QUERY_TIMEOUT")
    func postgresDataset() async throws {
        let database = try await TestPostgres.createDatabase(prefix: "qr")
        do {
            try await TestPostgres.execute(
                [
                    "CREATE TABLE spend (id integer PRIMARY KEY, amount numeric(30, 10))",
                    "INSERT INTO spend VALUES (1, 12345678901234567890.0123456789), (2, 1)",
                ],
                on: database.url
            )
            try await TestApp.run(.sqlite) { app in
                try await Self.register(app, id: "pg", url: database.url.raw, settings: ["statement_timeout_ms": 500])
                let sum = try await app.request(
                    .post,
                    "/api/query",
                    as: .analyst,
                    json: ["dataset_id": "pg", "sql": "SELECT sum(amount) AS total FROM spend"]
                )
                #expect(sum.text.contains("12345678901234567891.0123456789"), "\(sum.text)")
                let slow = try await app.request(
                    .post,
                    "/api/query",
                    as: .analyst,
                    json: ["dataset_id": "pg", "sql": "SELECT pg_sleep(5), count(*) FROM spend"]
                )
                #expect(slow.status == .gatewayTimeout && slow.errorCode == "QUERY_TIMEOUT", "\(slow.text)")
                let after = try await app.request(
                    .post,
                    "/api/query",
                    as: .analyst,
                    json: ["dataset_id": "pg", "sql": "SELECT count(*) AS n FROM spend"]
                )
                #expect(after.json?["rows"] == [[2]])
                #expect(!after.text.contains(database.url.password ?? "\u{0}"))
            }
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }
}

@Suite("Query routes: dataset lifecycle")
struct QueryLifecycleRoutesTests {
    @Test("a deactivated dataset stops answering at once and, reactivated, answers fresh (not from the cache)")
    func deactivateAndReactivate() async throws {
        try await TestApp.run(.sqlite) { app in
            try await QueryRoutesTests.sqliteDataset(app)
            let body: JSONValue = ["dataset_id": "lite", "sql": "SELECT count(*) AS n FROM respondents"]
            let first = try await app.request(.post, "/api/query", as: .analyst, json: body)
            #expect(first.json?["rows"] == [[10]])
            #expect(try await app.request(.post, "/api/query", as: .analyst, json: body).json?["cached"] == true)

            let off = try await app.request(.post, "/api/datasets/lite/transitions", as: .reviewer, json: ["to": "inactive"])
            #expect(off.status == .ok)
            // The change event reaches the engine within the feed's poll (and its record's TTL at worst).
            var refused = try await app.request(.post, "/api/query", as: .analyst, json: body)
            for _ in 0..<100 where refused.errorCode != "DATASET_NOT_ACTIVE" {
                try await Task.sleep(for: .milliseconds(50))
                refused = try await app.request(.post, "/api/query", as: .analyst, json: body)
            }
            #expect(refused.status == .conflict && refused.errorCode == "DATASET_NOT_ACTIVE")
            #expect(refused.json?["error"]?["details"]?["state"] == "inactive")

            let on = try await app.request(.post, "/api/datasets/lite/transitions", as: .reviewer, json: ["to": "active"])
            #expect(on.status == .ok)
            var again = try await app.request(.post, "/api/query", as: .analyst, json: body)
            for _ in 0..<100 where again.status != .ok {
                try await Task.sleep(for: .milliseconds(50))
                again = try await app.request(.post, "/api/query", as: .analyst, json: body)
            }
            #expect(again.status == .ok && again.json?["cached"] == false, "a new version: never the old cached answer")
            #expect(again.json?["rows"] == [[10]])
        }
    }
}
