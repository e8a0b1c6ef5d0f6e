import AnalyticsCore
import Foundation
import MetadataStore
import TestSupport
import Testing

/// Job additions of the onboarding pipeline, on both stores: dedupe keys, final failures, release.
@Suite("Store contract: job dedupe, release, final failure")
struct JobDedupeContractTests {
    @Test(arguments: StoreBackend.allCases)
    func dedupeKeyHoldsOneJob(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let first = try await f.store.enqueueJob(NewJob(kind: "purge_query_log", dedupeKey: "purge:day:1"))
            #expect(first.dedupeKey == "purge:day:1")
            let again = try await f.store.enqueueJob(NewJob(kind: "purge_query_log", payload: ["other": true], dedupeKey: "purge:day:1"))
            #expect(again == first, "the stored job comes back unchanged")
            let other = try await f.store.enqueueJob(NewJob(kind: "purge_query_log", dedupeKey: "purge:day:2"))
            #expect(other.id != first.id)
            let plain1 = try await f.store.enqueueJob(NewJob(kind: "x"))
            let plain2 = try await f.store.enqueueJob(NewJob(kind: "x"))
            #expect(plain1.id != plain2.id, "jobs without a key are never merged")
            #expect(plain1.dedupeKey == nil)

            // The key holds after the job finished: the period's work is done once.
            let claimed = try #require(try await f.store.claimJob(kinds: ["purge_query_log"], workerID: "w", leaseSeconds: 60))
            _ = try await f.store.completeJob(id: claimed.id, workerID: "w", result: [:])
            let afterDone = try await f.store.enqueueJob(NewJob(kind: "purge_query_log", dedupeKey: claimed.dedupeKey))
            #expect(afterDone.id == claimed.id)
            #expect(afterDone.state == .succeeded)

            await expectError(.invalidRequest) { try await f.store.enqueueJob(NewJob(kind: "x", dedupeKey: "")) }
        }
    }

    @Test("concurrent enqueuers with one key, through two store instances, get one job", arguments: StoreBackend.allCases)
    func concurrentDedupe(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            try await f.withSecondStore { second in
                let stores: [any MetadataStore] = [f.store, second]
                let ids = try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<12 {
                        let store = stores[index % 2]
                        group.addTask { try await store.enqueueJob(NewJob(kind: "profile", datasetID: "d", dedupeKey: "refresh:d:7")).id }
                    }
                    return try await group.reduce(into: Set<String>()) { $0.insert($1) }
                }
                #expect(ids.count == 1)
                #expect(try await f.store.jobs(datasetID: "d", limit: 50).count == 1)
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func nonRetryableFailureEndsTheJob(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let job = try await f.store.enqueueJob(NewJob(kind: "draft", maxAttempts: 5))
            _ = try #require(try await f.store.claimJob(kinds: ["draft"], workerID: "w", leaseSeconds: 60))
            let failed = try await f.store.failJob(id: job.id, workerID: "w", error: "LLM_INVALID_OUTPUT: bad", retryAfter: 0, retryable: false)
            #expect(failed.state == .failed)
            #expect(failed.attempts == 1)
            #expect(failed.error == "LLM_INVALID_OUTPUT: bad")
            #expect(try await f.store.claimJob(kinds: ["draft"], workerID: "w", leaseSeconds: 60) == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func releaseReturnsTheAttempt(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let job = try await f.store.enqueueJob(NewJob(kind: "profile", maxAttempts: 1))
            _ = try #require(try await f.store.claimJob(kinds: ["profile"], workerID: "a", leaseSeconds: 60))
            _ = try await f.store.heartbeatJob(id: job.id, workerID: "a", leaseSeconds: 60, progress: 30, message: "half way")
            let released = try await f.store.releaseJob(id: job.id, workerID: "a")
            #expect(released.state == .queued)
            #expect(released.attempts == 0, "a graceful hand-back does not use up the only attempt")
            #expect(released.leaseOwner == nil)
            await expectError(.conflict) { try await f.store.releaseJob(id: job.id, workerID: "a") }
            let again = try #require(try await f.store.claimJob(kinds: ["profile"], workerID: "b", leaseSeconds: 60))
            #expect(again.id == job.id)
            #expect(again.attempts == 1)

            _ = try await f.store.cancelJob(id: job.id)
            let cancelled = try await f.store.releaseJob(id: job.id, workerID: "b")
            #expect(cancelled.state == .cancelled, "a job whose cancellation was requested is not handed back")
        }
    }
}
