import AnalyticsCore
import ControlPlane
import Foundation
import Logging
import MetadataStore
import Synchronization
import TestSupport
import Testing

/// A job handler whose behaviour each test scripts, recording every attempt it sees.
struct ScriptedHandler: JobHandler {
    let kind: String
    let attempts = AttemptLog()
    let body: @Sendable (JobRecord, JobContext) async throws -> JSONValue

    init(kind: String = "test", _ body: @escaping @Sendable (JobRecord, JobContext) async throws -> JSONValue) {
        self.kind = kind
        self.body = body
    }

    func run(_ job: JobRecord, context: JobContext) async throws -> JSONValue {
        self.attempts.started(job)
        return try await self.body(job, context)
    }

    func jobEnded(_ job: JobRecord, context: JobContext) async {
        self.attempts.ended(job)
    }
}

/// What a ``ScriptedHandler`` saw: each attempt's job record and start time, and final endings.
final class AttemptLog: Sendable {
    struct Entry: Sendable {
        let attempt: Int
        let at: Date
    }

    private let state = Mutex<(started: [Entry], ended: [JobRecord])>(([], []))

    func started(_ job: JobRecord) { self.state.withLock { $0.started.append(Entry(attempt: job.attempts, at: Date())) } }
    func ended(_ job: JobRecord) { self.state.withLock { $0.ended.append(job) } }

    var started: [Entry] { self.state.withLock { $0.started } }
    var ended: [JobRecord] { self.state.withLock { $0.ended } }
}

/// A one-shot latch a handler can wait on and a test can open (or the other way round).
final class Latch: Sendable {
    private let opened = Mutex(false)

    func open() { self.opened.withLock { $0 = true } }
    var isOpen: Bool { self.opened.withLock { $0 } }

    /// Waits until opened; throws `CancellationError` when the task is cancelled first.
    func wait() async throws {
        while !self.isOpen {
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

enum JobFixtures {
    /// A worker over `store` with fast polling and heartbeats, and the client that feeds it.
    static func worker(
        _ store: any MetadataStore,
        handlers: [any JobHandler],
        leaseSeconds: Double = 30,
        retryBaseSeconds: Double = 0.05,
        concurrency: Int = 2,
        workerID: String
    ) -> JobWorker {
        let signals = JobSignals()
        let client = JobQueueClient(store: store, signals: signals, logger: ProfilingFixtures.logger)
        return JobWorker(
            store: store,
            handlers: handlers,
            configuration: JobWorkerConfiguration(
                concurrency: concurrency,
                leaseSeconds: leaseSeconds,
                heartbeatInterval: .milliseconds(Int64(leaseSeconds * 1000 / 3)),
                pollInterval: .milliseconds(50),
                retryBaseSeconds: retryBaseSeconds,
                retryJitter: 0
            ),
            signals: signals,
            client: client,
            workerID: workerID,
            logger: ProfilingFixtures.logger
        )
    }

    /// Runs the worker as a child task while `body` runs, then cancels it (as a kill would).
    static func running<T: Sendable>(_ worker: JobWorker, _ body: () async throws -> T) async throws -> T {
        try await withRunning(worker, body)
    }

    /// Polls the store until the job satisfies `condition`; the deadline only guards against a hang.
    @discardableResult
    static func waitFor(
        _ id: String,
        in store: any MetadataStore,
        within seconds: Double = 60,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: (JobRecord) -> Bool
    ) async throws -> JobRecord {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let job = try #require(try await store.job(id: id), sourceLocation: sourceLocation)
            if condition(job) { return job }
            if Date() > deadline {
                Issue.record("job \(id) never reached the expected state: \(job.state) \(job.error ?? "")", sourceLocation: sourceLocation)
                return job
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    static func isFinished(_ job: JobRecord) -> Bool {
        [.succeeded, .failed, .cancelled].contains(job.state)
    }
}
