import AnalyticsCore
import AnalyticsServer
import Foundation
import TestSupport
import Testing

/// The weighting rules on the free-SQL path and in plans, through the real engine on the demo panel.
@Suite("Weighting on the query path")
struct WeightedQueryRoutesTests {
    static func codes(_ result: APIResult) -> [String] {
        result.json?["warnings"]?.arrayValue?.compactMap { $0["code"]?.stringValue } ?? []
    }

    @Test("unweighted aggregates warn, then block per policy; weighted ones pass; raw rows stay capped")
    func unweightedAggregates() async throws {
        try await TestApp.run(.sqlite, demo: true) { app in
            let unweighted: JSONValue = ["dataset_id": "demo", "sql": "SELECT gender, count(*) FROM respondents GROUP BY gender"]
            let warned = try await app.request(.post, "/api/query", as: .analyst, json: unweighted)
            #expect(warned.status == .ok, "\(warned.text)")
            #expect(Self.codes(warned).contains("UNWEIGHTED_AGGREGATE"))
            let joined: JSONValue = [
                "dataset_id": "demo",
                "sql": "SELECT v.genre, count(DISTINCT r.respondent_id) FROM tv_viewing v JOIN respondents r USING (respondent_id) GROUP BY 1",
            ]
            #expect(Self.codes(try await app.request(.post, "/api/query", as: .analyst, json: joined)).contains("UNWEIGHTED_AGGREGATE"))
            let weighted: JSONValue = ["dataset_id": "demo", "sql": "SELECT gender, sum(weight) AS w FROM respondents GROUP BY gender"]
            let clean = try await app.request(.post, "/api/query", as: .analyst, json: weighted)
            #expect(clean.status == .ok)
            #expect(!Self.codes(clean).contains("UNWEIGHTED_AGGREGATE"))
            #expect(clean.json?["row_count"]?.intValue == 2)

            let raw = try await app.request(
                .post,
                "/api/query",
                as: .analyst,
                json: ["dataset_id": "demo", "sql": "SELECT * FROM respondents", "limit": 100]
            )
            #expect(raw.json?["row_count"]?.intValue == 5)
            #expect(raw.json?["truncated"]?.boolValue == true)
            #expect(Self.codes(raw).contains("RAW_ROW_LIMIT"))

            var document = try #require(try await app.request(.get, "/api/datasets/demo/weighting").json?["weighting"]?.objectValue)
            document["unweighted_policy"] = "block"
            #expect(try await app.request(.put, "/api/datasets/demo/weighting", as: .reviewer, json: .object(document)).status == .ok)
            // The engine sees registry changes through change events, within a second (documented).
            var blocked = try await app.request(.post, "/api/query", as: .analyst, json: unweighted)
            for _ in 0..<30 where blocked.status == .ok {
                try await Task.sleep(for: .milliseconds(100))
                blocked = try await app.request(.post, "/api/query", as: .analyst, json: unweighted)
            }
            #expect(blocked.status == .badRequest, "\(blocked.text)")
            #expect(blocked.errorCode == "UNWEIGHTED_AGGREGATE")
            #expect(try await app.request(.post, "/api/query", as: .analyst, json: weighted).status == .ok)
        }
    }

    @Test("plans run breakdown steps beside SQL steps")
    func planWithBreakdown() async throws {
        try await TestApp.run(.sqlite, demo: true) { app in
            let plan: JSONValue = [
                "queries": [
                    ["id": "sql", "dataset_id": "demo", "sql": "SELECT count(*) AS n FROM respondents"],
                    [
                        "id": "reach", "dataset_id": "demo",
                        "breakdown": [
                            "measure": ["type": "share", "reach": ["table": "tv_viewing", "filters": ["genre": ["Sports"]]]], "by": ["gender"],
                        ],
                    ],
                    [
                        "id": "bad", "dataset_id": "demo",
                        "breakdown": ["measure": ["type": "share", "reach": ["table": "tv_viewing"]], "persona": "martians"],
                    ],
                ]
            ]
            let result = try await app.request(.post, "/api/plans", as: .analyst, json: plan)
            #expect(result.status == .ok, "\(result.text)")
            let steps = result.json?["steps"]?.arrayValue ?? []
            #expect(steps.map { $0["status"]?.stringValue ?? "" } == ["ok", "ok", "error"])
            let rows = steps[1]["breakdown"]?["rows"]?.arrayValue ?? []
            #expect(rows.count == 2, "\(steps[1])")
            #expect(rows.allSatisfy { ($0["value"]?.doubleValue ?? -1) > 0 && ($0["value"]?.doubleValue ?? 2) < 1 })
            #expect(steps[2]["error"]?["code"]?.stringValue == "UNKNOWN_PERSONA", "\(steps[2])")
            #expect(result.json?["succeeded"]?.intValue == 2)
        }
    }
}
