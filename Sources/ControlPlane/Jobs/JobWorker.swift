import AnalyticsCore
import Foundation
import Logging
import MetadataStore
import ServiceLifecycle
import Synchronization

/// Runs durable jobs from the metadata store (DESIGN §3 scale-out).
///
/// Each of ``JobWorkerConfiguration/concurrency`` slots claims the oldest due job of a kind it has
/// a handler for, with a lease (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so replicas on one store
/// share the queue and never run a job twice; SQLite: an `IMMEDIATE` transaction). While the
/// handler runs, the lease is renewed with its progress; a requested cancellation stops it. A
/// failure is retried with exponential backoff while attempts remain, then the job ends `failed`.
///
/// Idle slots sleep until a job is enqueued — in this process (``JobSignals``) or in another one
/// (a `job.enqueued` event on the ``ChangeFeed``) — or ``JobWorkerConfiguration/pollInterval``
/// passes. Graceful shutdown hands running jobs back to the queue at once; a cancelled or killed
/// worker leaves them to their lease, after which another worker claims them again.
public final class JobWorker: Service {
    public let workerID: String
    public let configuration: JobWorkerConfiguration
    public let client: JobQueueClient
    let store: any MetadataStore
    let handlers: [String: any JobHandler]
    let signals: JobSignals
    let changeFeed: ChangeFeed?
    let startGate: StartGate
    let stopping = WakeSignal()
    let logger: Logger

    /// - Parameters:
    ///   - signals: shared with the ``JobQueueClient`` that enqueues in this process.
    ///   - changeFeed: wakes the worker for jobs enqueued and cancelled by other processes.
    ///   - startGate: the worker claims nothing before it opens (the server opens it after migrating).
    public init(
        store: any MetadataStore,
        handlers: [any JobHandler],
        configuration: JobWorkerConfiguration = JobWorkerConfiguration(),
        signals: JobSignals,
        client: JobQueueClient,
        changeFeed: ChangeFeed? = nil,
        startGate: StartGate = StartGate(open: true),
        workerID: String? = nil,
        logger: Logger
    ) {
        self.startGate = startGate
        self.store = store
        self.handlers = Dictionary(handlers.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.configuration = configuration
        self.signals = signals
        self.client = client
        self.changeFeed = changeFeed
        self.workerID = workerID ?? WorkerIdentity.make()
        var logger = logger
        logger[metadataKey: "mcpa.component"] = "job-worker"
        logger[metadataKey: "mcpa.worker"] = "\(self.workerID)"
        self.logger = logger
    }

    /// The job kinds this worker claims.
    public var kinds: [String] { self.handlers.keys.sorted() }

    /// Wakes idle slots now.
    public func poke() {
        self.signals.jobsEnqueued()
    }

    /// Stops gracefully, as on a graceful shutdown of its service group: claims nothing more and
    /// hands running jobs back to the queue.
    public func stop() {
        self.stopping.close()
    }

    public func run() async throws {
        guard self.configuration.concurrency > 0, !self.handlers.isEmpty else {
            self.logger.info("Job worker disabled in this process.")
            try? await gracefulShutdown()
            return
        }
        self.logger.info(
            "Job worker started.",
            metadata: ["mcpa.job.kinds": "\(self.kinds.joined(separator: ","))", "mcpa.job.slots": "\(self.configuration.concurrency)"]
        )
        await withGracefulShutdownHandler {
            await self.waitForStart()
            guard !Task.isCancelled, !self.isStopping else { return }
            await withTaskGroup(of: Void.self) { group in
                if let feed = self.changeFeed {
                    group.addTask { await self.follow(feed) }
                }
                await withDiscardingTaskGroup { slots in
                    for _ in 0..<self.configuration.concurrency {
                        slots.addTask { await self.slotLoop() }
                    }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.stop()
        }
        self.logger.info("Job worker stopped.")
    }

    private var isStopping: Bool { self.stopping.isClosed }

    private func waitForStart() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.startGate.wait() }
            group.addTask { await self.stopping.wait(after: 0) }
            await group.next()
            group.cancelAll()
        }
    }

    private func slotLoop() async {
        while !Task.isCancelled, !self.isStopping {
            let generation = self.signals.wake.generation
            let job: JobRecord?
            do {
                job = try await self.store.claimJob(kinds: self.kinds, workerID: self.workerID, leaseSeconds: self.configuration.leaseSeconds)
            } catch {
                if Task.isCancelled { return }
                let code = (error as? AnalyticsError)?.code.rawValue ?? "unknown"
                self.logger.warning("Claiming a job failed; retrying.", metadata: ["mcpa.error.code": "\(code)"])
                await self.idle(after: generation)
                continue
            }
            if let job {
                await self.execute(job)
            } else {
                await self.idle(after: generation)
            }
        }
    }

    /// Waits for a wake-up, the poll interval, or the worker stopping.
    private func idle(after generation: UInt64) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.signals.wake.wait(after: generation, timeout: self.configuration.pollInterval) }
            group.addTask { await self.stopping.wait(after: 0) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Wakes slots for jobs enqueued elsewhere and checks running jobs whose cancellation was requested elsewhere.
    private func follow(_ feed: ChangeFeed) async {
        for await event in feed.subscribe() {
            switch event.kind {
            case .jobEnqueued:
                self.signals.jobsEnqueued()
            case .jobCancelRequested:
                if let id = event.payload["job_id"]?.stringValue { self.signals.cancellationRequested(jobID: id) }
            default:
                continue
            }
        }
    }
}
