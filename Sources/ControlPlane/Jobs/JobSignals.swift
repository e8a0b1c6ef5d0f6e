import AnalyticsCore
import Synchronization

/// In-process coordination between whoever enqueues or cancels jobs and the local ``JobWorker``:
/// a wake-up for idle worker slots and the leases of jobs running here, so a cancellation reaches
/// a running job at once instead of at its next heartbeat.
///
/// Other processes learn the same through change events (`job.enqueued`, `job.cancel_requested`),
/// which the worker follows on the ``ChangeFeed``; these signals only save the round trip.
public final class JobSignals: Sendable {
    let wake = WakeSignal()
    private let running = Mutex<[String: JobLease]>([:])

    public init() {}

    /// Wakes idle worker slots to claim new work.
    public func jobsEnqueued() {
        self.wake.fire()
    }

    /// Makes the job's lease holder (if it runs in this process) check for cancellation now.
    public func cancellationRequested(jobID: String) {
        self.running.withLock { $0[jobID] }?.checkNow()
    }

    func register(_ lease: JobLease) {
        self.running.withLock { $0[lease.jobID] = lease }
    }

    func unregister(_ lease: JobLease) {
        self.running.withLock { running in
            if running[lease.jobID] === lease { running[lease.jobID] = nil }
        }
    }

    /// Ids of the jobs running in this process.
    var runningJobIDs: [String] {
        self.running.withLock { Array($0.keys) }
    }
}
