import AnalyticsCore
import ControlPlane
import Foundation
import MetadataStore
import TestSupport
import Testing

/// The job worker against real stores (SQLite file, PostgreSQL database): a job whose worker died
/// is picked up after its lease and completes; failures are retried with backoff and then end
/// clearly; cancellation stops queued and running jobs; a graceful stop hands work back.
@Suite("Job worker")
struct JobWorkerTests {
    static let kinds: [StoreFixtures.Kind] = [.sqlite, .postgres]

    @Test("a worker killed mid-job leaves it to its lease; another worker claims it again and completes it", arguments: Self.kinds)
    func killedWorkerJobCompletesElsewhere(_ kind: StoreFixtures.Kind) async throws {
        try await StoreFixtures.withStore(kind) { store in
            let stuck = Latch()
            let first = ScriptedHandler { _, context in
                context.progress(40, "half way")
                stuck.open()
                // Works until killed.
                try await Task.sleep(for: .seconds(3_600))
                return [:]
            }
            let job = try await store.enqueueJob(NewJob(kind: "test", datasetID: nil, payload: ["n": 7]))
            // One slot and a lease long enough that heartbeats keep it on a loaded machine: the job
            // must stay with this worker until the kill.
            let doomed = JobFixtures.worker(store, handlers: [first], leaseSeconds: 4, concurrency: 1, workerID: "doomed")
            try await JobFixtures.running(doomed) {
                try await stuck.wait()
                try await JobFixtures.waitFor(job.id, in: store) { $0.progress == 40 }
            }
            // The worker's task is gone; the store still holds the job as running under its lease.
            let orphaned = try #require(try await store.job(id: job.id))
            #expect(orphaned.state == .running)
            #expect(orphaned.leaseOwner == "doomed")
            #expect(orphaned.attempts == 1)
            #expect(orphaned.message == "half way")

            let second = ScriptedHandler { job, context in
                context.progress(90, "finishing")
                return ["doubled": .int((job.payload["n"]?.intValue ?? 0) * 2)]
            }
            let rescuer = JobFixtures.worker(store, handlers: [second], leaseSeconds: 4, workerID: "rescuer")
            let done = try await JobFixtures.running(rescuer) {
                try await JobFixtures.waitFor(job.id, in: store, JobFixtures.isFinished)
            }
            #expect(done.state == .succeeded)
            #expect(done.result == ["doubled": 14])
            #expect(done.attempts == 2, "the dead worker's attempt counts")
            #expect(done.progress == 100)
            #expect(second.attempts.started.map(\.attempt) == [2])
            #expect(first.attempts.ended.isEmpty && second.attempts.ended.isEmpty, "nothing ended badly")
        }
    }

    @Test("retryable failures are retried after growing delays, then the job succeeds", arguments: Self.kinds)
    func retriesWithBackoff(_ kind: StoreFixtures.Kind) async throws {
        try await StoreFixtures.withStore(kind) { store in
            let handler = ScriptedHandler { job, _ in
                guard job.attempts >= 3 else {
                    throw AnalyticsError(.datasetUnavailable, "The dataset did not answer (attempt \(job.attempts)).")
                }
                return ["attempt": .int(Int64(job.attempts))]
            }
            let job = try await store.enqueueJob(NewJob(kind: "test", maxAttempts: 4))
            let worker = JobFixtures.worker(store, handlers: [handler], retryBaseSeconds: 0.3, workerID: "w")
            let done = try await JobFixtures.running(worker) {
                try await JobFixtures.waitFor(job.id, in: store, JobFixtures.isFinished)
            }
            #expect(done.state == .succeeded)
            #expect(done.attempts == 3)
            #expect(done.result == ["attempt": 3])
            #expect(done.error == nil, "a success clears the last attempt's error")
            let starts = handler.attempts.started
            #expect(starts.map(\.attempt) == [1, 2, 3])
            if starts.count == 3 {
                // Backoff is 0.3 s after attempt 1 and 0.6 s after attempt 2 (no jitter); the store
                // compares times at millisecond precision, hence the small allowance.
                #expect(starts[1].at.timeIntervalSince(starts[0].at) >= 0.29)
                #expect(starts[2].at.timeIntervalSince(starts[1].at) >= 0.59)
            }
        }
    }

    @Test("a job that keeps failing ends failed after its attempts, with the coded error; a non-retryable error ends it at once")
    func failuresEndClearly() async throws {
        try await StoreFixtures.withStore(.sqlite) { store in
            let handler = ScriptedHandler { job, _ in
                if job.payload["fatal"]?.boolValue == true {
                    throw AnalyticsError(.llmInvalidOutput, "The model's answer was not a metadata draft.", hint: "Try another model.")
                }
                throw AnalyticsError(.datasetUnavailable, "Still down.")
            }
            let flaky = try await store.enqueueJob(NewJob(kind: "test", maxAttempts: 3))
            let fatal = try await store.enqueueJob(NewJob(kind: "test", payload: ["fatal": true], maxAttempts: 3))
            let worker = JobFixtures.worker(store, handlers: [handler], workerID: "w")
            let (a, b) = try await JobFixtures.running(worker) {
                let results = (
                    try await JobFixtures.waitFor(flaky.id, in: store, JobFixtures.isFinished),
                    try await JobFixtures.waitFor(fatal.id, in: store, JobFixtures.isFinished)
                )
                // The handler's tidy-up follows the recorded end; keep the worker until it ran.
                _ = try await eventually {
                    handler.attempts.ended.count
                } until: {
                    $0 >= 2
                }
                return results
            }
            #expect(a.state == .failed)
            #expect(a.attempts == 3)
            #expect(a.error == "DATASET_UNAVAILABLE: Still down.")
            #expect(b.state == .failed)
            #expect(b.attempts == 1, "another attempt cannot fix it")
            #expect(b.error == "LLM_INVALID_OUTPUT: The model's answer was not a metadata draft. Hint: Try another model.")
            #expect(Set(handler.attempts.ended.map(\.id)) == [flaky.id, fatal.id], "the handler tidies up once per job")
            #expect(handler.attempts.ended.count == 2)
        }
    }

    @Test("cancelling a queued job ends it unrun; cancelling a running one stops its handler", arguments: Self.kinds)
    func cancellation(_ kind: StoreFixtures.Kind) async throws {
        try await StoreFixtures.withStore(kind) { store in
            let client = JobQueueClient(store: store, logger: ProfilingFixtures.logger)
            let queued = try await client.enqueue(NewJob(kind: "test"))
            let cancelledQueued = try await client.cancel(id: queued.id)
            #expect(cancelledQueued.state == .cancelled)

            let running = Latch()
            let sawCancellation = Latch()
            let handler = ScriptedHandler { _, context in
                context.progress(10, "looping")
                running.open()
                do {
                    try await Task.sleep(for: .seconds(3_600))
                } catch {
                    sawCancellation.open()
                    throw error
                }
                return [:]
            }
            let worker = JobFixtures.worker(store, handlers: [handler], workerID: "w")
            let (job, ended) = try await JobFixtures.running(worker) {
                let job = try await worker.client.enqueue(NewJob(kind: "test"))
                try await running.wait()
                let requested = try await worker.client.cancel(id: job.id)
                #expect(requested.cancelRequested)
                let ended = try await JobFixtures.waitFor(job.id, in: store, JobFixtures.isFinished)
                _ = try await eventually {
                    handler.attempts.ended.count
                } until: {
                    $0 >= 1
                }
                return (job, ended)
            }
            #expect(ended.state == .cancelled)
            #expect(ended.attempts == 1)
            #expect(sawCancellation.isOpen, "the handler's task was cancelled")
            #expect(handler.attempts.started.count == 1, "neither the queued nor the cancelled job ran again")
            #expect(handler.attempts.ended.map(\.id) == [job.id])
            #expect(try await store.job(id: queued.id)?.attempts == 0)
            await expectError(.jobNotFound) { try await client.cancel(id: "missing") }
        }
    }

    @Test("a graceful stop hands the running job back without using up its attempt")
    func gracefulStopReleases() async throws {
        try await StoreFixtures.withStore(.sqlite) { store in
            let running = Latch()
            let handler = ScriptedHandler { _, _ in
                running.open()
                try await Task.sleep(for: .seconds(3_600))
                return [:]
            }
            let worker = JobFixtures.worker(store, handlers: [handler], workerID: "w")
            let job = try await store.enqueueJob(NewJob(kind: "test", maxAttempts: 1))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await worker.run() }
                try await running.wait()
                worker.stop()
                try await group.waitForAll()
            }
            let released = try #require(try await store.job(id: job.id))
            #expect(released.state == .queued)
            #expect(released.attempts == 0)
            #expect(released.leaseOwner == nil)
        }
    }

    @Test("retry delays double per attempt up to the cap, and jitter stays within its spread")
    func retryDelays() {
        let exact = JobWorkerConfiguration(retryBaseSeconds: 5, retryCapSeconds: 60, retryJitter: 0)
        #expect((1...6).map { exact.retryDelay(afterAttempt: $0) } == [5, 10, 20, 40, 60, 60])
        let jittered = JobWorkerConfiguration(retryBaseSeconds: 10, retryJitter: 0.2)
        for _ in 0..<50 {
            #expect((8.0...12.0).contains(jittered.retryDelay(afterAttempt: 1)))
        }
    }
}
