import AnalyticsCore
import Foundation
import MetadataStore
import TestSupport
import Testing

/// Review items, drift reports, LLM usage and embeddings on both stores.
@Suite("Store contract: review items, drift reports, usage, embeddings")
struct ReviewStoreContractTests {
    @Test(arguments: StoreBackend.allCases)
    func reviewItemLifecycle(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            _ = try await f.store.createDataset(sampleDataset("panel"), secret: sampleSecret(), actor: "admin")
            _ = try await f.store.createDataset(sampleDataset("other"), secret: sampleSecret(), actor: "admin")
            let before = try await f.store.latestEventID()
            let item = try await f.store.createReviewItem(
                NewReviewItem(
                    datasetID: "panel",
                    kind: "drift",
                    title: "Panel drifted",
                    details: ["changes": ["Column x was added."]],
                    sourceJobID: "job-1",
                    dedupeKey: "drift:panel:1:2"
                )
            )
            #expect(item.state == .open)
            #expect(item.createdBy == "system")
            #expect(try await f.store.reviewItem(id: item.id) == item)
            let events = try await f.store.events(after: before, limit: 10)
            #expect(events.map(\.kind) == [.reviewItemCreated])
            #expect(events.first?.payload["review_item_id"]?.stringValue == item.id)

            let duplicate = try await f.store.createReviewItem(
                NewReviewItem(datasetID: "panel", kind: "drift", title: "Again", dedupeKey: "drift:panel:1:2")
            )
            #expect(duplicate == item)
            #expect(try await f.store.events(after: before, limit: 10).count == 1, "a deduplicated item raises no event")

            let failure = try await f.store.createReviewItem(NewReviewItem(datasetID: "other", kind: "job_failed", title: "Profiling failed"))
            #expect(try await f.store.reviewItems(ReviewItemFilter()).map(\.id) == [failure.id, item.id], "newest first")
            #expect(try await f.store.reviewItems(ReviewItemFilter(datasetID: "panel")).map(\.id) == [item.id])
            #expect(try await f.store.reviewItems(ReviewItemFilter(kind: "job_failed")).map(\.id) == [failure.id])
            #expect(try await f.store.reviewItems(ReviewItemFilter(limit: 1)).count == 1)

            let updated = try await f.store.updateReviewItemDetails(id: item.id) { details in
                details = ["changes": details["changes"] ?? [], "proposed_metadata": ["summary": "new"]]
            }
            #expect(updated.details["proposed_metadata"]?["summary"] == "new")
            #expect(try await f.store.reviewItem(id: item.id)?.details == updated.details)

            let resolved = try await f.store.resolveReviewItem(id: item.id, actor: "rita", note: "expected change")
            #expect(resolved.state == .resolved)
            #expect(resolved.resolvedBy == "rita")
            #expect(resolved.resolution == "expected change")
            #expect(resolved.resolvedAt != nil)
            #expect(try await f.store.reviewItem(id: item.id) == resolved)
            let again = await expectError(.conflict) { try await f.store.resolveReviewItem(id: item.id, actor: "sam", note: nil) }
            #expect(again?.message.contains("rita") == true)
            #expect(try await f.store.reviewItem(id: item.id)?.resolvedBy == "rita", "the first resolution stands")
            #expect(try await f.store.reviewItems(ReviewItemFilter(state: .open)).map(\.id) == [failure.id])
            #expect(try await f.store.events(after: before, limit: 10).map(\.kind).last == .reviewItemResolved)

            await expectError(.reviewItemNotFound) { try await f.store.resolveReviewItem(id: "missing", actor: "x", note: nil) }
            await expectError(.reviewItemNotFound) { try await f.store.updateReviewItemDetails(id: "missing") { _ in } }
            #expect(try await f.store.reviewItem(id: "missing") == nil)
            await expectError(.datasetNotFound) { try await f.store.createReviewItem(NewReviewItem(datasetID: "ghost", kind: "drift", title: "t")) }
            await expectError(.invalidRequest) { try await f.store.createReviewItem(NewReviewItem(datasetID: "panel", kind: "", title: "t")) }
            await expectError(.invalidRequest) { try await f.store.createReviewItem(NewReviewItem(datasetID: "panel", kind: "drift", title: "  ")) }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func driftReportsAreKeptOncePerComparison(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            _ = try await f.store.createDataset(sampleDataset("panel"), secret: sampleSecret(), actor: "admin")
            let first = try await f.store.saveDriftReport(
                StoredDriftReport(datasetID: "panel", fromVersion: 1, toVersion: 2, changeCount: 1, report: ["changes": [["kind": "column_added"]]])
            )
            let duplicate = try await f.store.saveDriftReport(
                StoredDriftReport(datasetID: "panel", fromVersion: 1, toVersion: 2, changeCount: 9, report: ["changes": []])
            )
            #expect(duplicate == first, "the first report of a comparison stands")
            let later = try await f.store.saveDriftReport(
                StoredDriftReport(datasetID: "panel", fromVersion: 2, toVersion: 3, changeCount: 0, report: [:])
            )
            #expect(try await f.store.driftReports(datasetID: "panel", limit: 10) == [later, first])
            #expect(try await f.store.driftReports(datasetID: "panel", limit: 1) == [later])
            #expect(try await f.store.driftReports(datasetID: "ghost", limit: 10) == [])
            await expectError(.datasetNotFound) {
                try await f.store.saveDriftReport(StoredDriftReport(datasetID: "ghost", fromVersion: 1, toVersion: 2, changeCount: 0, report: [:]))
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func usageRecords(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let t0 = Date(timeIntervalSince1970: 1_750_000_000)
            let a = LLMUsageRecord(
                at: t0,
                datasetID: "panel",
                jobID: "j1",
                operation: "chat",
                purpose: "metadata_draft",
                model: "m",
                promptTokens: 100,
                completionTokens: 20,
                totalTokens: 120,
                latencyMs: 12.5,
                attempts: 2
            )
            let b = LLMUsageRecord(
                at: t0.addingTimeInterval(5),
                datasetID: "panel",
                jobID: "j2",
                operation: "chat",
                model: "fallback",
                usedFallback: true,
                totalTokens: 7,
                attempts: 4,
                errorCode: "LLM_INVALID_OUTPUT"
            )
            let c = LLMUsageRecord(at: t0.addingTimeInterval(9), operation: "embeddings", model: "e", totalTokens: 3)
            for record in [a, b, c] { try await f.store.appendLLMUsage(record) }
            try await f.store.appendLLMUsage(a)
            #expect(try await f.store.llmUsage(datasetID: nil, jobID: nil, limit: 10) == [c, b, a], "newest first; a repeated id is stored once")
            #expect(try await f.store.llmUsage(datasetID: "panel", jobID: nil, limit: 10) == [b, a])
            #expect(try await f.store.llmUsage(datasetID: nil, jobID: "j2", limit: 10) == [b])
            #expect(try await f.store.llmUsage(datasetID: nil, jobID: nil, limit: 1) == [c])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func embeddingsUpsertAndPrune(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            _ = try await f.store.createDataset(sampleDataset("panel"), secret: sampleSecret(), actor: "admin")
            _ = try await f.store.createDataset(sampleDataset("other"), secret: sampleSecret(), actor: "admin")
            let at = Date(timeIntervalSince1970: 1_750_000_000)
            let vectors: [EmbeddingRecord] = [
                EmbeddingRecord(documentID: "panel", datasetID: "panel", model: "m", contentHash: "h1", vector: [0.25, -0.5, 1], updatedAt: at),
                EmbeddingRecord(
                    documentID: "panel/respondents",
                    datasetID: "panel",
                    model: "m",
                    contentHash: "h2",
                    vector: [1, 0, 0],
                    updatedAt: at
                ),
                EmbeddingRecord(documentID: "other", datasetID: "other", model: "m", contentHash: "h3", vector: [0, 1, 0], updatedAt: at),
                EmbeddingRecord(documentID: "panel", datasetID: "panel", model: "other-model", contentHash: "h1", vector: [9], updatedAt: at),
            ]
            try await f.store.upsertEmbeddings(vectors)
            #expect(try await f.store.embeddings(model: "m", datasetIDs: nil).map(\.documentID) == ["other", "panel", "panel/respondents"])
            #expect(try await f.store.embeddings(model: "m", datasetIDs: ["panel"]) == [vectors[0], vectors[1]])
            #expect(try await f.store.embeddings(model: "m", datasetIDs: []) == [])
            #expect(try await f.store.embeddings(model: "other-model", datasetIDs: nil) == [vectors[3]])

            var changed = vectors[0]
            changed.contentHash = "h1b"
            changed.vector = [0.125, 0.5, -1]
            try await f.store.upsertEmbeddings([changed])
            #expect(try await f.store.embeddings(model: "m", datasetIDs: ["panel"]).first == changed)

            #expect(try await f.store.deleteEmbeddings(datasetID: "panel", keeping: ["panel"]) == 1, "the table's vector goes, under model m")
            #expect(try await f.store.embeddings(model: "m", datasetIDs: ["panel"]).map(\.documentID) == ["panel"])
            #expect(try await f.store.deleteEmbeddings(datasetID: "panel", keeping: []) == 2, "both models' vectors of the dataset go")
            #expect(try await f.store.embeddings(model: "m", datasetIDs: nil).map(\.documentID) == ["other"])
        }
    }
}
