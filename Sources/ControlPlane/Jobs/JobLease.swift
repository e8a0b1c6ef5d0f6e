import AnalyticsCore
import Foundation
import Logging
import MetadataStore
import Synchronization

/// The lease on one running job: the progress its handler reported, and the heartbeat loop that
/// renews the lease, stores that progress and notices a requested cancellation or a lost lease.
final class JobLease: Sendable {
    /// Why the heartbeat loop asks the worker to stop the handler.
    enum Stop: Sendable {
        case cancelRequested
        case leaseLost
    }

    private struct State {
        var percent: Int
        var message: String?
        var dirty = false
    }

    let jobID: String
    private let state: Mutex<State>
    private let signal = WakeSignal()

    init(job: JobRecord) {
        self.jobID = job.id
        self.state = Mutex(State(percent: job.progress, message: job.message))
    }

    /// Records progress and has the heartbeat loop store it promptly.
    func report(percent: Int, message: String?) {
        self.state.withLock { state in
            state.percent = min(max(percent, 0), 100)
            if let message { state.message = message }
            state.dirty = true
        }
        self.signal.fire()
    }

    /// Heartbeats now (a cancellation was requested somewhere).
    func checkNow() {
        self.signal.fire()
    }

    /// Renews the lease every `interval` (sooner after progress), until the job's cancellation is
    /// requested or the lease is lost; returns `nil` when the task is cancelled.
    func watch(store: any JobQueue, workerID: String, leaseSeconds: Double, interval: Duration, logger: Logger) async -> Stop? {
        while !Task.isCancelled {
            let generation = self.signal.generation
            if !self.state.withLock({ $0.dirty }) {
                await self.signal.wait(after: generation, timeout: interval)
            }
            if Task.isCancelled { return nil }
            let (percent, message) = self.state.withLock { state in
                state.dirty = false
                return (state.percent, state.message)
            }
            do {
                let record = try await store.heartbeatJob(
                    id: self.jobID,
                    workerID: workerID,
                    leaseSeconds: leaseSeconds,
                    progress: percent,
                    message: message
                )
                if record.cancelRequested { return .cancelRequested }
            } catch let error as AnalyticsError where error.code == .conflict || error.code == .jobNotFound {
                return .leaseLost
            } catch {
                if Task.isCancelled { return nil }
                let code = (error as? AnalyticsError)?.code.rawValue ?? "unknown"
                logger.warning("Job heartbeat failed; retrying.", metadata: ["mcpa.job": "\(self.jobID)", "mcpa.error.code": "\(code)"])
            }
        }
        return nil
    }
}
