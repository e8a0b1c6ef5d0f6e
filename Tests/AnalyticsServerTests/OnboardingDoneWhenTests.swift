import AnalyticsCore
import AnalyticsServer
import DataPlane
import Foundation
import Logging
import TestSupport
import Testing

/// Issue 6's "done when": a PostgreSQL dataset registered through the API goes, with no manual
/// step but the approval, from `draft` to `active` with a profile, quality findings and a drafted
/// description.
@Suite("Onboarding done-when")
struct OnboardingDoneWhenTests {
    @Test(
        "a PostgreSQL demo panel registered over REST reaches human_review on its own and goes active on approval",
        arguments: StoreBackend.allCases
    )
    func registerToActive(backend: StoreBackend) async throws {
        let database = try await TestPostgres.createDatabase(prefix: "done")
        do {
            try await DemoPanelLoader(spec: ProfileRoutesTests.spec, logger: Logger(label: "test.demo")).load(into: database.url)
            // One table with problems, so the quality rules have something to find.
            try await TestPostgres.execute(
                [
                    "CREATE TABLE panel_notes (note_id integer, respondent_id integer, remark text)",
                    "INSERT INTO panel_notes SELECT g, g % 7, NULL FROM generate_series(1, 200) g",
                ],
                on: database.url
            )
            try await TestApp.run(backend, configure: { $0.autoOnboard = true }) { app in
                let created = try await app.request(
                    .post,
                    "/api/datasets",
                    json: ["id": "consumer_panel", "name": "Consumer panel", "connection_url": .string(database.url.raw)]
                )
                #expect(created.status == .created, "\(created.text.prefix(300))")
                #expect(created.json?["state"] == "draft")
                #expect(created.json?["description"] == "")

                let review = try #require(try await app.waitForDataset("consumer_panel", state: "human_review"))
                #expect(review["description"]?.stringValue?.isEmpty == false, "the drafted description")
                #expect(review["metadata"]?["provenance"]?["generator"] == "offline")

                let profile = try await app.request(.get, "/api/datasets/consumer_panel/profile", as: .viewer)
                #expect(profile.status == .ok)
                let tables = Set(profile.json?["tables"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [])
                #expect(tables.isSuperset(of: ["respondents", "panel_notes"]), "\(tables)")
                let quality = try await app.request(.get, "/api/datasets/consumer_panel/quality", as: .viewer)
                let findings = quality.json?["findings"]?.arrayValue ?? []
                #expect(!findings.isEmpty, "the bad table has findings")
                #expect(findings.contains { $0["table"]?.stringValue == "panel_notes" }, "\(quality.text.prefix(600))")
                let metadata = try await app.request(.get, "/api/datasets/consumer_panel/metadata", as: .viewer)
                #expect(metadata.json?["metadata"]?["data_dictionary"]?.arrayValue?.count == tables.count)

                let transitions = try await app.request(.get, "/api/datasets/consumer_panel/history", as: .viewer)
                let path = transitions.json?["transitions"]?.arrayValue?.compactMap { $0["to"]?.stringValue } ?? []
                #expect(path == ["draft", "metadata_pending", "human_review"] || path == ["metadata_pending", "human_review"], "\(path)")

                let approved = try await app.request(.post, "/api/datasets/consumer_panel/review", as: .reviewer, json: ["decision": "approve"])
                #expect(approved.status == .ok, "\(approved.text.prefix(300))")
                #expect(approved.json?["state"] == "active")
                let active = try await app.request(.get, "/api/datasets?state=active", as: .viewer)
                #expect(active.json?["datasets"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["consumer_panel"])
            }
            await database.drop()
        } catch {
            await database.drop()
            throw error
        }
    }
}
