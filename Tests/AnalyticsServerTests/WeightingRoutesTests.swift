import AnalyticsCore
import AnalyticsServer
import Foundation
import GRDB
import TestSupport
import Testing

/// Weighting config, persona and breakdown routes on the demo dataset that `serve --demo` registers.
@Suite("Weighting routes")
struct WeightingRoutesTests {
    @Test("weighting config: read, refuse with reasons, store as a version; personas", arguments: StoreBackend.allCases)
    func configAndPersonas(backend: StoreBackend) async throws {
        try await TestApp.run(backend, demo: true) { app in
            let initial = try await app.request(.get, "/api/datasets/demo/weighting", as: .viewer)
            #expect(initial.status == .ok, "\(initial.text)")
            let version = try #require(initial.json?["version"]?.intValue)
            var document = try #require(initial.json?["weighting"]?.objectValue)
            #expect(document["weight_column"] == "weight")

            #expect(try await app.request(.put, "/api/datasets/demo/weighting", as: .analyst, json: .object(document)).errorCode == "ACCESS_DENIED")
            var broken = document
            broken["weight_column"] = "wgt"
            let refused = try await app.request(.put, "/api/datasets/demo/weighting", as: .reviewer, json: .object(broken))
            #expect(refused.status == .badRequest)
            #expect(refused.errorCode == "INVALID_WEIGHTING_CONFIG")
            #expect(
                refused.json?["error"]?["details"]?["problems"]?.arrayValue?.contains("weight_column: 'wgt' is not a column of respondents") == true
            )
            #expect(
                try await app.request(.put, "/api/datasets/demo/weighting", as: .reviewer, json: ["respondent_tabel": "x"]).errorCode
                    == "INVALID_REQUEST"
            )

            document["min_base"] = 40
            let stored = try await app.request(.put, "/api/datasets/demo/weighting?note=raise%20min%20base", as: .reviewer, json: .object(document))
            #expect(stored.status == .ok, "\(stored.text)")
            #expect(stored.json?["version"]?.intValue == version + 1)
            #expect(stored.json?["validation"]?["valid"] == true)
            #expect(stored.json?["validation"]?["weights"]?["negative"] == 0)
            let read = try await app.request(.get, "/api/datasets/demo/weighting", as: .viewer)
            #expect(read.json?["weighting"]?["min_base"] == 40)
            let history = try await app.request(.get, "/api/datasets/demo/history")
            #expect(history.json?["versions"]?.arrayValue?.last?["note"] == "raise min base")

            let personas = try await app.request(.get, "/api/datasets/demo/personas", as: .viewer)
            #expect(personas.json?["personas"]?.arrayValue?.count == 5)
            let put = try await app.request(
                .put,
                "/api/datasets/demo/personas/north_men",
                as: .reviewer,
                json: ["label": "Men in the North", "filters": ["gender": "Male", "region": ["North"]]]
            )
            #expect(put.status == .ok, "\(put.text)")
            #expect(put.json?["name"] == "north_men")
            let resolved = try await app.request(.post, "/api/datasets/demo/personas/resolve", as: .viewer, json: ["text": "men in the north"])
            #expect(resolved.json?["source"] == "named")
            let parsed = try await app.request(.post, "/api/datasets/demo/personas/resolve", as: .viewer, json: ["text": "women 25 to 34, nccs a"])
            #expect(parsed.json?["filters"] == ["gender": ["Female"], "age_band": ["25-34"], "nccs": ["A"]])
            let unknown = try await app.request(.post, "/api/datasets/demo/personas/resolve", as: .viewer, json: ["text": "nccs z"])
            #expect(unknown.errorCode == "UNKNOWN_PERSONA")
            #expect(unknown.json?["error"]?["details"]?["valid_values"]?["region"] == ["North", "South", "East", "West"])
            let badPersona = try await app.request(.put, "/api/datasets/demo/personas/x", as: .reviewer, json: ["filters": ["nccs": ["A1"]]])
            #expect(badPersona.errorCode == "INVALID_WEIGHTING_CONFIG")
            #expect(try await app.request(.delete, "/api/datasets/demo/personas/north_men", as: .reviewer).status == .ok)
            #expect(try await app.request(.delete, "/api/datasets/demo/personas/north_men", as: .reviewer).errorCode == "NOT_FOUND")
        }
    }

    @Test("POST /api/breakdown: reach of sports among Female 25-34 NCCS A by region, last 90 days, on the demo panel")
    func breakdown() async throws {
        try await TestApp.run(.sqlite, demo: true) { app in
            let body: JSONValue = [
                "dataset_id": "demo",
                "measure": [
                    "type": "share", "reach": ["table": "tv_viewing", "filters": ["genre": ["Sports"]], "last_days": 90], "label": "watched Sports",
                ],
                "by": ["region"],
                "persona": "Female 25-34 NCCS A",
            ]
            let response = try await app.request(.post, "/api/breakdown", as: .analyst, json: body)
            #expect(response.status == .ok, "\(response.text)")
            let result = try #require(response.json)

            // The test's own arithmetic over the demo file's raw rows.
            let queue = try DatabaseQueue(path: app.directory.file("demo_panel.sqlite"))
            defer { try? queue.close() }
            let (respondents, events) = try await queue.read { db in
                (
                    try Row.fetchAll(db, sql: "SELECT respondent_id, gender, age_band, nccs, region, weight FROM respondents"),
                    try Row.fetchAll(db, sql: "SELECT respondent_id, substr(start_time, 1, 10) FROM tv_viewing WHERE genre = 'Sports'")
                )
            }
            let latest = try #require(
                try await queue.read { db in try String.fetchOne(db, sql: "SELECT max(substr(start_time, 1, 10)) FROM tv_viewing") }
            )
            let first = try #require(try await queue.read { db in try String.fetchOne(db, sql: "SELECT date(?, '-89 days')", arguments: [latest]) })
            let watchers = Set(events.filter { (($0[1] as String) >= first) && (($0[1] as String) <= latest) }.map { $0[0] as Int })
            var groups: [String: (n: Int, w: Double, w2: Double, hit: Double)] = [:]
            for r in respondents where (r[1] as String) == "Female" && (r[2] as String) == "25-34" && ["A", "A1"].contains(r[3] as String) {
                let w: Double = r[5]
                var g = groups[r[4] as String] ?? (0, 0, 0, 0)
                g.n += 1
                g.w += w
                g.w2 += w * w
                if watchers.contains(r[0] as Int) { g.hit += w }
                groups[r[4] as String] = g
            }

            #expect(result["window"]?["from"]?.stringValue == first)
            #expect(result["window"]?["to"]?.stringValue == latest)
            let rows = result["rows"]?.arrayValue ?? []
            #expect(rows.count == groups.count)
            for row in rows {
                let region = try #require(row["dimensions"]?["region"]?.stringValue)
                let g = try #require(groups[region])
                #expect(row["unweighted_n"]?.intValue == Int64(g.n))
                #expect(abs((row["weighted_base"]?.doubleValue ?? 0) - g.w) < 1e-9 * g.w)
                let neff = g.w * g.w / g.w2
                #expect(abs((row["effective_n"]?.doubleValue ?? 0) - neff) < 1e-9 * neff)
                #expect(row["suppressed"]?.boolValue == (g.n < 30))
                #expect(row["caution"]?.boolValue == (g.n < 100))
                if g.n >= 30 {
                    let p = g.hit / g.w
                    #expect(abs((row["value"]?.doubleValue ?? -1) - p) < 1e-9)
                    #expect(abs((row["interval"]?["margin"]?.doubleValue ?? -1) - 1.96 * (p * (1 - p) / neff).squareRoot()) < 1e-9)
                    #expect(row["narrative"]?.stringValue?.contains("watched Sports") == true)
                } else {
                    #expect(row["value"] == .null)
                }
                #expect(row["narrative"]?.stringValue?.hasPrefix("Among Female 25-34 NCCS A in \(region) (n=\(g.n)") == true)
            }
            #expect(result["narrative"]?.arrayValue?.count == rows.count + 1)

            let unknown = try await app.request(
                .post,
                "/api/breakdown",
                as: .analyst,
                json: ["dataset_id": "demo", "measure": ["type": "share", "reach": ["table": "tv_viewing"]], "persona": "nccs z"]
            )
            #expect(unknown.errorCode == "UNKNOWN_PERSONA")
            let invalid = try await app.request(.post, "/api/breakdown", as: .analyst, json: ["dataset_id": "demo", "measure": ["type": "share"]])
            #expect(invalid.errorCode == "INVALID_REQUEST")
            #expect(try await app.request(.post, "/api/breakdown", as: .viewer, json: body).errorCode == "ACCESS_DENIED")
            _ = try await app.request(.delete, "/api/datasets/demo")
            // Breakdowns see lifecycle changes as SQL does: when the change event reaches the engine.
            try await eventually(timeout: .seconds(5)) {
                try await app.request(.post, "/api/breakdown", as: .analyst, json: body).errorCode == "DATASET_NOT_ACTIVE"
            }
        }
    }
}
