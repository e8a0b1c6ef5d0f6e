import AnalyticsCore
import Foundation
import Logging
import MetadataStore
import ServiceLifecycle

/// Enqueues periodic work: a re-profile with a drift check for each active dataset whose latest
/// profile is older than its refresh interval (DESIGN §5.4). Query-log retention belongs to the
/// data plane's query-log writer.
///
/// Every replica runs a scheduler; they agree through the job table. Each enqueue carries a
/// dedupe key naming the work and its period (`refresh:<dataset>:<hours>h:<period>`), which the
/// store holds unique, so one job is enqueued however many replicas tick at once. A dataset with a profile job already queued or running is skipped. The
/// dataset stays active throughout: drift raises a review item, it never hides the dataset.
public final class RefreshScheduler: Service {
    public let configuration: RefreshSchedulerConfiguration
    let store: any MetadataStore
    let jobs: JobQueueClient
    let startGate: StartGate
    let logger: Logger

    public init(
        store: any MetadataStore,
        jobs: JobQueueClient,
        configuration: RefreshSchedulerConfiguration = RefreshSchedulerConfiguration(),
        startGate: StartGate = StartGate(open: true),
        logger: Logger
    ) {
        self.startGate = startGate
        self.store = store
        self.jobs = jobs
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "mcpa.component"] = "refresh-scheduler"
        self.logger = logger
    }

    /// Ticks every ``RefreshSchedulerConfiguration/tickInterval`` until shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.startGate.wait()
            while !Task.isCancelled {
                _ = await self.tick()
                do {
                    try await Task.sleep(for: self.configuration.tickInterval)
                } catch {
                    return
                }
            }
        }
    }

    /// Enqueues what is due at `now`; returns the jobs it enqueued or found already enqueued.
    @discardableResult
    public func tick(now: Date = Date()) async -> [JobRecord] {
        var jobs: [JobRecord] = []
        do {
            for dataset in try await self.store.datasets(state: .active, tag: nil) {
                if let job = try await self.refreshIfDue(dataset, now: now) { jobs.append(job) }
            }
        } catch {
            let code = (error as? AnalyticsError)?.code.rawValue ?? "unknown"
            self.logger.warning("Scheduling tick failed; trying again at the next tick.", metadata: ["mcpa.error.code": "\(code)"])
        }
        return jobs
    }

    /// The dataset's refresh interval in hours (0 = off).
    public func refreshHours(for dataset: Dataset) -> Int {
        dataset.settings.profileRefreshHours ?? self.configuration.profileRefreshHours
    }

    private func refreshIfDue(_ dataset: Dataset, now: Date) async throws -> JobRecord? {
        let hours = self.refreshHours(for: dataset)
        guard hours > 0 else { return nil }
        let interval = Double(hours) * 3_600
        if let latest = try await self.store.profileVersions(datasetID: dataset.id).last, now.timeIntervalSince(latest.createdAt) < interval {
            return nil
        }
        let recent = try await self.store.jobs(datasetID: dataset.id, limit: 50)
        if recent.contains(where: { $0.kind == JobKind.profile && ($0.state == .queued || $0.state == .running) }) {
            return nil
        }
        let period = Int64((now.timeIntervalSince1970 / interval).rounded(.down))
        let job = try await self.jobs.enqueue(
            NewJob(
                kind: JobKind.profile,
                datasetID: dataset.id,
                payload: ["reason": "scheduled", "then": [.string(JobKind.driftCheck)]],
                dedupeKey: "refresh:\(dataset.id):\(hours)h:\(period)"
            )
        )
        self.logger.info("scheduled re-profile enqueued", metadata: ["mcpa.dataset": "\(dataset.id)", "mcpa.job": "\(job.id)"])
        return job
    }
}
