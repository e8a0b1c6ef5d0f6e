import AnalyticsCore
import Foundation
import MetadataStore
import TestSupport
import Testing

/// The durable job queue, run unchanged against SQLite and PostgreSQL.
@Suite("Store contract: jobs")
struct JobContractTests {
    /// Lets the store clock pass a lease end set "now" (leases are compared at millisecond precision).
    func letLeaseLapse() async throws {
        try await Task.sleep(for: .milliseconds(20))
    }

    @Test(arguments: StoreBackend.allCases)
    func enqueueClaimHeartbeatComplete(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let job = try await f.store.enqueueJob(NewJob(kind: "profile", datasetID: "panel", payload: ["tables": ["a", "b"]]))
            #expect(job.state == .queued)
            #expect(job.attempts == 0)
            #expect(job.maxAttempts == 3)
            #expect(try await f.store.job(id: job.id) == job)
            #expect(try await f.store.job(id: "missing") == nil)

            #expect(try await f.store.claimJob(kinds: ["draft"], workerID: "w1", leaseSeconds: 60) == nil, "other kinds are not claimed")
            #expect(try await f.store.claimJob(kinds: [], workerID: "w1", leaseSeconds: 60) == nil)
            let claimed = try #require(try await f.store.claimJob(kinds: ["draft", "profile"], workerID: "w1", leaseSeconds: 60))
            #expect(claimed.id == job.id)
            #expect(claimed.state == .running)
            #expect(claimed.attempts == 1)
            #expect(claimed.leaseOwner == "w1")
            #expect(try #require(claimed.leaseExpiresAt) > Date().addingTimeInterval(30))
            #expect(claimed.payload == ["tables": ["a", "b"]])
            #expect(try await f.store.claimJob(kinds: ["profile"], workerID: "w2", leaseSeconds: 60) == nil, "a leased job is not claimed twice")

            let beat = try await f.store.heartbeatJob(id: job.id, workerID: "w1", leaseSeconds: 60, progress: 40, message: "table a")
            #expect(beat.progress == 40)
            #expect(beat.message == "table a")
            let clamped = try await f.store.heartbeatJob(id: job.id, workerID: "w1", leaseSeconds: 60, progress: 150, message: nil)
            #expect(clamped.progress == 100)
            #expect(clamped.message == "table a", "a heartbeat without a message keeps the last one")
            let conflict = await expectError(.conflict) {
                try await f.store.heartbeatJob(id: job.id, workerID: "intruder", leaseSeconds: 60, progress: 1, message: nil)
            }
            #expect(conflict?.httpStatus == 409)
            await expectError(.jobNotFound) {
                try await f.store.heartbeatJob(id: "missing", workerID: "w1", leaseSeconds: 60, progress: 1, message: nil)
            }

            let done = try await f.store.completeJob(id: job.id, workerID: "w1", result: ["rows": 42])
            #expect(done.state == .succeeded)
            #expect(done.result == ["rows": 42])
            #expect(done.progress == 100)
            #expect(try await f.store.job(id: job.id) == done)
            await expectError(.conflict) { try await f.store.completeJob(id: job.id, workerID: "w1", result: nil) }
            #expect(try await f.store.claimJob(kinds: ["profile"], workerID: "w2", leaseSeconds: 60) == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func jobsRespectRunAfterAndListByDataset(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let later = try await f.store.enqueueJob(NewJob(kind: "drift", datasetID: "a", runAfter: Date().addingTimeInterval(3600)))
            #expect(try await f.store.claimJob(kinds: ["drift"], workerID: "w", leaseSeconds: 60) == nil, "not due yet")
            // Stored times have millisecond precision, so the two due times differ by whole seconds.
            let second = try await f.store.enqueueJob(NewJob(kind: "drift", datasetID: "a", runAfter: Date().addingTimeInterval(-1)))
            let first = try await f.store.enqueueJob(NewJob(kind: "drift", datasetID: "b", runAfter: Date().addingTimeInterval(-2)))
            #expect(
                try await f.store.claimJob(kinds: ["drift"], workerID: "w", leaseSeconds: 60)?.id == first.id,
                "the job due earliest first, whatever the order of enqueueing"
            )
            #expect(try await f.store.claimJob(kinds: ["drift"], workerID: "w", leaseSeconds: 60)?.id == second.id)
            #expect(try await f.store.claimJob(kinds: ["drift"], workerID: "w", leaseSeconds: 60) == nil)
            #expect(Set(try await f.store.jobs(datasetID: "a", limit: 10).map(\.id)) == [later.id, second.id])
            #expect(try await f.store.jobs(datasetID: nil, limit: 10).count == 3)
            #expect(try await f.store.jobs(datasetID: nil, limit: 2).count == 2)
            #expect(try await f.store.jobs(datasetID: "zzz", limit: 10).isEmpty)
            await expectError(.invalidRequest) { try await f.store.enqueueJob(NewJob(kind: "x", maxAttempts: 0)) }
            await expectError(.invalidRequest) { try await f.store.enqueueJob(NewJob(kind: "")) }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func lapsedLeasesAreClaimedAgain(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let job = try await f.store.enqueueJob(NewJob(kind: "profile"))
            _ = try #require(try await f.store.claimJob(kinds: ["profile"], workerID: "dead", leaseSeconds: 60))
            #expect(try await f.store.claimJob(kinds: ["profile"], workerID: "alive", leaseSeconds: 60) == nil)
            // The dead worker's last heartbeat leaves a lease that ends now.
            _ = try await f.store.heartbeatJob(id: job.id, workerID: "dead", leaseSeconds: 0, progress: 10, message: nil)
            try await letLeaseLapse()
            let reclaimed = try #require(try await f.store.claimJob(kinds: ["profile"], workerID: "alive", leaseSeconds: 60))
            #expect(reclaimed.id == job.id)
            #expect(reclaimed.leaseOwner == "alive")
            #expect(reclaimed.attempts == 2)
            await expectError(.conflict) {
                try await f.store.heartbeatJob(id: job.id, workerID: "dead", leaseSeconds: 60, progress: 20, message: nil)
            }
            await expectError(.conflict) { try await f.store.failJob(id: job.id, workerID: "dead", error: "late", retryAfter: 0) }
            #expect(try await f.store.heartbeatJob(id: job.id, workerID: "alive", leaseSeconds: 60, progress: 50, message: nil).progress == 50)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aLeaseLapsingOnTheLastAttemptFailsTheJob(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let job = try await f.store.enqueueJob(NewJob(kind: "profile", maxAttempts: 1))
            _ = try #require(try await f.store.claimJob(kinds: ["profile"], workerID: "dead", leaseSeconds: 0))
            try await letLeaseLapse()
            #expect(try await f.store.claimJob(kinds: ["profile"], workerID: "alive", leaseSeconds: 60) == nil)
            let failed = try #require(try await f.store.job(id: job.id))
            #expect(failed.state == .failed)
            #expect(failed.attempts == 1)
            #expect(failed.error?.contains("lease") == true)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func failuresRetryWithBackoffThenFail(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let job = try await f.store.enqueueJob(NewJob(kind: "draft", maxAttempts: 3))
            _ = try #require(try await f.store.claimJob(kinds: ["draft"], workerID: "w", leaseSeconds: 60))
            let backedOff = try await f.store.failJob(id: job.id, workerID: "w", error: "LLM 429", retryAfter: 3600)
            #expect(backedOff.state == .queued)
            #expect(backedOff.error == "LLM 429")
            #expect(backedOff.leaseOwner == nil)
            #expect(backedOff.runAfter > Date().addingTimeInterval(3000))
            #expect(try await f.store.claimJob(kinds: ["draft"], workerID: "w", leaseSeconds: 60) == nil, "backing off")

            let retryable = try await f.store.enqueueJob(NewJob(kind: "retry", maxAttempts: 2))
            _ = try #require(try await f.store.claimJob(kinds: ["retry"], workerID: "w", leaseSeconds: 60))
            let requeued = try await f.store.failJob(id: retryable.id, workerID: "w", error: "first", retryAfter: 0)
            #expect(requeued.state == .queued)
            let second = try #require(try await f.store.claimJob(kinds: ["retry"], workerID: "w2", leaseSeconds: 60))
            #expect(second.attempts == 2)
            let final = try await f.store.failJob(id: retryable.id, workerID: "w2", error: "second", retryAfter: 0)
            #expect(final.state == .failed)
            #expect(final.error == "second")
            #expect(try await f.store.claimJob(kinds: ["retry"], workerID: "w3", leaseSeconds: 60) == nil)
            #expect(try await f.store.job(id: retryable.id) == final)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func cancellation(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let queued = try await f.store.enqueueJob(NewJob(kind: "profile"))
            let cancelled = try await f.store.cancelJob(id: queued.id)
            #expect(cancelled.state == .cancelled)
            #expect(try await f.store.claimJob(kinds: ["profile"], workerID: "w", leaseSeconds: 60) == nil)

            let running = try await f.store.enqueueJob(NewJob(kind: "profile"))
            _ = try #require(try await f.store.claimJob(kinds: ["profile"], workerID: "w", leaseSeconds: 60))
            let requested = try await f.store.cancelJob(id: running.id)
            #expect(requested.state == .running)
            #expect(requested.cancelRequested)
            let beat = try await f.store.heartbeatJob(id: running.id, workerID: "w", leaseSeconds: 60, progress: 30, message: nil)
            #expect(beat.cancelRequested, "the worker learns about the request at its heartbeat")
            await expectError(.conflict) { try await f.store.markJobCancelled(id: running.id, workerID: "other") }
            let stopped = try await f.store.markJobCancelled(id: running.id, workerID: "w")
            #expect(stopped.state == .cancelled)

            let finished = try await f.store.enqueueJob(NewJob(kind: "quick"))
            _ = try #require(try await f.store.claimJob(kinds: ["quick"], workerID: "w", leaseSeconds: 60))
            let done = try await f.store.completeJob(id: finished.id, workerID: "w", result: .null)
            #expect(try await f.store.cancelJob(id: finished.id) == done, "a finished job is left as it is")

            let abandoned = try await f.store.enqueueJob(NewJob(kind: "slow"))
            _ = try #require(try await f.store.claimJob(kinds: ["slow"], workerID: "dead", leaseSeconds: 0))
            _ = try await f.store.cancelJob(id: abandoned.id)
            try await letLeaseLapse()
            #expect(try await f.store.claimJob(kinds: ["slow"], workerID: "w", leaseSeconds: 60) == nil)
            #expect(try await f.store.job(id: abandoned.id)?.state == .cancelled, "a cancelled job whose worker died ends cancelled")

            await expectError(.jobNotFound) { try await f.store.cancelJob(id: "missing") }
        }
    }

    /// Four claimers (two per store instance) drain 40 jobs: every job is claimed exactly once.
    @Test(arguments: StoreBackend.allCases)
    func concurrentClaimersNeverShareAJob(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            var enqueued: [String] = []
            for index in 0..<40 {
                enqueued.append(try await f.store.enqueueJob(NewJob(kind: "work", payload: ["n": .int(Int64(index))])).id)
            }
            let claims = try await f.withSecondStore { other in
                try await withThrowingTaskGroup(of: [String].self) { group in
                    for worker in 0..<4 {
                        let store = worker < 2 ? f.store : other
                        group.addTask {
                            var mine: [String] = []
                            while let job = try await store.claimJob(kinds: ["work"], workerID: "w\(worker)", leaseSeconds: 60) {
                                mine.append(job.id)
                                _ = try await store.completeJob(id: job.id, workerID: "w\(worker)", result: ["by": .string("w\(worker)")])
                            }
                            return mine
                        }
                    }
                    return try await group.reduce(into: [[String]]()) { $0.append($1) }
                }
            }
            let all = claims.flatMap { $0 }
            #expect(all.count == 40)
            #expect(Set(all) == Set(enqueued))
            let jobs = try await f.store.jobs(datasetID: nil, limit: 100)
            #expect(jobs.allSatisfy { $0.state == .succeeded && $0.attempts == 1 })
        }
    }
}
