import AnalyticsCore
import AnalyticsServer
import Foundation
import TestSupport
import Testing

/// Onboarding over real HTTP: registration runs profile → quality → draft on the server's own job
/// worker, reviewers edit (versioned, with author) and decide, viewers only read; jobs, review
/// items and drift reports are readable; the four-eyes setting refuses self-approval.
@Suite("Onboarding, review and job routes")
struct OnboardingRoutesTests {
    static func createSQLiteDataset(_ app: TestApp, id: String, as role: Role = .admin) async throws -> String {
        let path = app.directory.file("\(id).sqlite")
        try TestSQLite.createSampleDatabase(at: path, rows: 40)
        let created = try await app.request(
            .post,
            "/api/datasets",
            as: role,
            json: ["id": .string(id), "name": .string("Panel \(id)"), "connection_url": .string("sqlite:" + path)]
        )
        #expect(created.status == .created, "\(created.text.prefix(300))")
        return path
    }

    @Test("registration reaches human_review on its own; reviewers edit and decide, viewers read", arguments: StoreBackend.allCases)
    func reviewWorkflow(backend: StoreBackend) async throws {
        try await TestApp.run(backend, configure: { $0.autoOnboard = true }) { app in
            _ = try await Self.createSQLiteDataset(app, id: "panel")
            try await app.waitForDataset("panel", state: "human_review")

            // The draft job moves the dataset before it records its own end.
            let list = try await app.waitForJobs(datasetID: "panel")
            #expect(list.compactMap { $0["kind"]?.stringValue } == ["draft_metadata", "profile"], "newest first")
            #expect(list.allSatisfy { $0["state"] == "succeeded" })
            let profileJob = try #require(list.last?["id"]?.stringValue)
            let job = try await app.request(.get, "/api/jobs/\(profileJob)", as: .viewer)
            #expect(job.json?["result"]?["profile_version"] == 1)
            #expect(job.json?["result"]?["follow_ups"]?.arrayValue?.first?["kind"] == "draft_metadata")
            #expect(try await app.request(.get, "/api/datasets/panel/quality", as: .viewer).json?["version"] == 1)
            let limited = try await app.request(.get, "/api/jobs?dataset_id=panel&limit=1", as: .viewer)
            #expect(limited.json?["jobs"]?.arrayValue?.count == 1)

            let drafted = try await app.request(.get, "/api/datasets/panel/metadata", as: .viewer)
            #expect(drafted.status == .ok)
            #expect(drafted.json?["state"] == "human_review")
            #expect(drafted.json?["last_edit"]?["author"] == "offline-drafter")
            #expect(drafted.json?["metadata"]?["summary"]?.stringValue?.isEmpty == false)
            #expect(drafted.json?["metadata"]?["data_dictionary"]?.arrayValue?.first?["table"] == "respondents")
            let version = try #require(drafted.json?["version"]?.intValue)

            var edited = try #require(drafted.json?["metadata"]?.objectValue)
            edited["summary"] = "Respondents of a small test panel, weighted."
            let body: JSONValue = ["metadata": .object(edited), "note": "clearer summary", "expected_version": .int(version)]
            for role in [Role.viewer, .analyst] {
                let refused = try await app.request(.put, "/api/datasets/panel/metadata", as: role, json: body)
                #expect(refused.status == .forbidden, "\(role)")
                #expect(refused.errorCode == "ACCESS_DENIED")
            }
            let saved = try await app.request(.put, "/api/datasets/panel/metadata", as: .reviewer, json: body)
            #expect(saved.status == .ok, "\(saved.text.prefix(300))")
            #expect(saved.json?["version"] == .int(version + 1))
            #expect(saved.json?["last_edit"]?["author"]?.stringValue == app.userIDs[.reviewer])
            #expect(saved.json?["last_edit"]?["note"] == "clearer summary")
            #expect(saved.json?["metadata"]?["summary"] == "Respondents of a small test panel, weighted.")
            let stale = try await app.request(.put, "/api/datasets/panel/metadata", as: .reviewer, json: body)
            #expect(stale.status == .conflict)
            #expect(stale.errorCode == "CONFLICT")
            for bad: JSONValue in [["metadata": "text"], ["metadata": ["summary": 3]], ["metadata": [:], "extra": true]] {
                let refused = try await app.request(.put, "/api/datasets/panel/metadata", as: .reviewer, json: bad)
                #expect(refused.status == .badRequest, "\(bad)")
                #expect(refused.errorCode == "INVALID_REQUEST")
            }
            #expect(
                try await app.request(.get, "/api/datasets/panel/metadata", as: .viewer).json?["version"] == .int(version + 1),
                "refused edits change nothing"
            )

            #expect(
                try await app.request(.post, "/api/datasets/panel/review", as: .analyst, json: ["decision": "approve"]).errorCode == "ACCESS_DENIED"
            )
            #expect(try await app.request(.post, "/api/datasets/panel/review", as: .reviewer, json: ["decision": "maybe"]).status == .badRequest)
            let noNote = try await app.request(.post, "/api/datasets/panel/review", as: .reviewer, json: ["decision": "request_changes"])
            #expect(noNote.status == .badRequest)
            #expect(noNote.errorCode == "INVALID_REQUEST")
            let changes = try await app.request(
                .post,
                "/api/datasets/panel/review",
                as: .reviewer,
                json: ["decision": "request_changes", "note": "Describe the weight."]
            )
            #expect(changes.status == .ok)
            #expect(changes.json?["state"] == "draft")

            let early = try await app.request(.post, "/api/datasets/panel/review", as: .reviewer, json: ["decision": "approve"])
            #expect(early.status == .conflict)
            #expect(early.errorCode == "INVALID_TRANSITION")
            #expect(early.json?["error"]?["details"]?["allowed"] == ["metadata_pending", "inactive"], "\(early.text)")
            #expect(try await app.request(.post, "/api/datasets/panel/draft", as: .viewer).errorCode == "ACCESS_DENIED")

            let redraft = try await app.request(.post, "/api/datasets/panel/draft", as: .reviewer)
            #expect(redraft.status == .accepted)
            let redrafted = try await app.waitForJob(try #require(redraft.json?["id"]?.stringValue))
            #expect(redrafted["state"] == "succeeded", "\(redrafted)")
            try await app.waitForDataset("panel", state: "human_review")

            let approved = try await app.request(.post, "/api/datasets/panel/review", as: .reviewer, json: ["decision": "approve", "note": "ok"])
            #expect(approved.status == .ok, "\(approved.text.prefix(300))")
            #expect(approved.json?["state"] == "active")
            #expect(
                try await app.request(.post, "/api/datasets/panel/review", as: .reviewer, json: ["decision": "approve"]).errorCode
                    == "INVALID_TRANSITION"
            )

            let history = try await app.request(.get, "/api/datasets/panel/history", as: .viewer)
            let transitions = try #require(history.json?["transitions"]?.arrayValue, "\(history.text.prefix(500))")
            let targets = transitions.map { $0["to"]?.stringValue ?? "?" }
            let expected = ["metadata_pending", "human_review", "draft", "metadata_pending", "human_review", "approved", "active"]
            #expect(Array(targets.suffix(7)) == expected, "\(targets)")
            let authors = Set(history.json?["versions"]?.arrayValue?.compactMap { $0["author"]?.stringValue } ?? [])
            #expect(authors.isSuperset(of: ["offline-drafter", app.userIDs[.reviewer]!]), "\(authors)")

            #expect(try await app.request(.get, "/api/datasets/ghost/metadata", as: .viewer).errorCode == "DATASET_NOT_FOUND")
            #expect(try await app.request(.post, "/api/datasets/ghost/review", as: .reviewer, json: ["decision": "approve"]).status == .notFound)
        }
    }

    @Test("with two reviewers required, whoever registered or last documented a dataset cannot approve it")
    func selfApprovalRefused() async throws {
        try await TestApp.run(.sqlite, configure: { $0.requiredReviewers = 2 }) { app in
            _ = try await Self.createSQLiteDataset(app, id: "panel")
            for target in ["metadata_pending", "human_review"] {
                #expect(try await app.request(.post, "/api/datasets/panel/transitions", as: .reviewer, json: ["to": .string(target)]).status == .ok)
            }
            let edit = try await app.request(
                .put,
                "/api/datasets/panel/metadata",
                as: .reviewer,
                json: ["metadata": ["summary": "Reviewer's words."]]
            )
            #expect(edit.status == .ok)

            let own = try await app.request(.post, "/api/datasets/panel/review", as: .reviewer, json: ["decision": "approve"])
            #expect(own.status == .forbidden)
            #expect(own.errorCode == "SELF_APPROVAL_REFUSED")
            let viaTransition = try await app.request(.post, "/api/datasets/panel/transitions", as: .reviewer, json: ["to": "approved"])
            #expect(viaTransition.errorCode == "SELF_APPROVAL_REFUSED", "every way into approved follows the rule")
            let creator = try await app.request(.post, "/api/datasets/panel/review", as: .admin, json: ["decision": "approve"])
            #expect(creator.errorCode == "SELF_APPROVAL_REFUSED")
            #expect(try await app.request(.get, "/api/datasets/panel", as: .viewer).json?["state"] == "human_review")

            let second = try await app.request(.post, "/api/tokens", as: .admin, json: ["name": "second-reviewer", "role": "reviewer"])
            let token = try #require(second.json?["token"]?.stringValue)
            let approved = try await app.request(
                .post,
                "/api/datasets/panel/review",
                as: nil,
                rawAuthorization: "Bearer \(token)",
                body: #"{"decision": "approve"}"#
            )
            #expect(approved.status == .ok, "\(approved.text.prefix(300))")
            #expect(approved.json?["state"] == "active")
        }
    }

    @Test("failed jobs raise review items; jobs, items and drift reports answer lookups and refuse bad input", arguments: StoreBackend.allCases)
    func jobsAndReviewItems(backend: StoreBackend) async throws {
        try await TestApp.run(backend) { app in
            let path = try await Self.createSQLiteDataset(app, id: "vanishing")
            try FileManager.default.removeItem(atPath: path)
            let queued = try await app.request(.post, "/api/datasets/vanishing/profile", as: .reviewer)
            #expect(queued.status == .accepted)
            let jobID = try #require(queued.json?["id"]?.stringValue)
            let failed = try await app.waitForJob(jobID)
            #expect(failed["state"] == "failed")
            #expect(failed["error"]?.stringValue?.hasPrefix("DATASET_UNAVAILABLE") == true)
            #expect(try await app.request(.get, "/api/datasets/vanishing", as: .viewer).json?["state"] == "draft")

            let cancelFinished = try await app.request(.post, "/api/jobs/\(jobID)/cancel", as: .reviewer)
            #expect(cancelFinished.status == .ok)
            #expect(cancelFinished.json?["state"] == "failed", "a finished job comes back unchanged")
            #expect(try await app.request(.post, "/api/jobs/\(jobID)/cancel", as: .viewer).errorCode == "ACCESS_DENIED")
            #expect(try await app.request(.get, "/api/jobs/nope", as: .viewer).errorCode == "JOB_NOT_FOUND")
            #expect(try await app.request(.post, "/api/jobs/nope/cancel", as: .reviewer).status == .notFound)
            #expect(try await app.request(.get, "/api/jobs?dataset_id=ghost", as: .viewer).errorCode == "DATASET_NOT_FOUND")
            for bad in ["0", "501", "x"] {
                #expect(try await app.request(.get, "/api/jobs?limit=\(bad)", as: .viewer).errorCode == "INVALID_REQUEST", "limit=\(bad)")
            }
            #expect(try await app.request(.get, "/api/jobs", as: nil).status == .unauthorized)

            // The job's failure is stored first; the pipeline's review item follows.
            var items = try await app.request(.get, "/api/review-items?dataset_id=vanishing", as: .viewer)
            let deadline = Date().addingTimeInterval(60)
            while items.json?["review_items"]?.arrayValue?.isEmpty != false, Date() < deadline {
                try await Task.sleep(for: .milliseconds(50))
                items = try await app.request(.get, "/api/review-items?dataset_id=vanishing", as: .viewer)
            }
            let item = try #require(items.json?["review_items"]?.arrayValue?.first)
            #expect(items.json?["review_items"]?.arrayValue?.count == 1)
            #expect(item["kind"] == "onboarding_failed")
            #expect(item["state"] == "open")
            #expect(item["details"]?["job_id"] == .string(jobID))
            #expect(item["details"]?["error"]?.stringValue?.contains(path) == false, "no connection details")
            let itemID = try #require(item["id"]?.stringValue)
            #expect(try await app.request(.get, "/api/review-items/\(itemID)", as: .viewer).json?["id"] == .string(itemID))
            #expect(try await app.request(.post, "/api/review-items/\(itemID)/resolve", as: .viewer, json: [:]).errorCode == "ACCESS_DENIED")
            let resolved = try await app.request(.post, "/api/review-items/\(itemID)/resolve", as: .reviewer, json: ["note": "file restored"])
            #expect(resolved.status == .ok)
            #expect(resolved.json?["state"] == "resolved")
            #expect(resolved.json?["resolved_by"]?.stringValue == app.userIDs[.reviewer])
            #expect(try await app.request(.post, "/api/review-items/\(itemID)/resolve", as: .reviewer, json: [:]).errorCode == "CONFLICT")
            let applied = try await app.request(.post, "/api/review-items/\(itemID)/resolve", as: .reviewer, json: ["apply_proposed_metadata": true])
            #expect(applied.status == .badRequest || applied.status == .conflict)
            #expect(try await app.request(.get, "/api/review-items?state=open", as: .viewer).json?["review_items"] == [])
            #expect(try await app.request(.get, "/api/review-items?state=resolved", as: .viewer).json?["review_items"]?.arrayValue?.count == 1)
            #expect(try await app.request(.get, "/api/review-items?state=bogus", as: .viewer).errorCode == "INVALID_REQUEST")
            #expect(try await app.request(.get, "/api/review-items/nope", as: .viewer).errorCode == "REVIEW_ITEM_NOT_FOUND")
            #expect(
                try await app.request(.post, "/api/review-items/\(itemID)/resolve", as: .reviewer, json: ["bogus": 1]).errorCode == "INVALID_REQUEST"
            )

            let drift = try await app.request(.get, "/api/datasets/vanishing/drift-reports", as: .viewer)
            #expect(drift.status == .ok)
            #expect(drift.json?["drift_reports"] == [])
            #expect(try await app.request(.get, "/api/datasets/ghost/drift-reports", as: .viewer).errorCode == "DATASET_NOT_FOUND")
            let usage = try await app.request(.get, "/api/llm-usage", as: .viewer)
            #expect(usage.json?["total_tokens"] == 0, "no model is configured: nothing was spent")
            #expect(try await app.request(.get, "/api/llm-usage?limit=0", as: .viewer).errorCode == "INVALID_REQUEST")
        }
    }
}
