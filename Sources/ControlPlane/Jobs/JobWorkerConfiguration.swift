/// How a ``JobWorker`` claims, heartbeats and retries.
public struct JobWorkerConfiguration: Sendable, Hashable {
    /// Jobs this worker runs at once; 0 runs none (a replica that only serves requests).
    public var concurrency: Int
    /// How long a claim holds without a heartbeat; a dead worker's job is claimed again after it.
    public var leaseSeconds: Double
    /// How often a running job's lease is renewed; by default a third of the lease.
    public var heartbeatInterval: Duration
    /// How often an idle worker looks for due jobs when nothing wakes it (retries coming due,
    /// jobs enqueued by processes whose events it missed).
    public var pollInterval: Duration
    /// First retry delay; attempt n waits `retryBaseSeconds · 2^(n−1)`, capped, ±`retryJitter`.
    public var retryBaseSeconds: Double
    public var retryCapSeconds: Double
    /// Relative spread of retry delays (0.2 = ±20 %), so failed jobs of many workers do not return together.
    public var retryJitter: Double

    public init(
        concurrency: Int = 2,
        leaseSeconds: Double = 60,
        heartbeatInterval: Duration? = nil,
        pollInterval: Duration = .seconds(2),
        retryBaseSeconds: Double = 5,
        retryCapSeconds: Double = 900,
        retryJitter: Double = 0.2
    ) {
        self.concurrency = max(concurrency, 0)
        self.leaseSeconds = max(leaseSeconds, 0.1)
        self.heartbeatInterval = heartbeatInterval ?? .milliseconds(Int64(self.leaseSeconds * 1000 / 3))
        self.pollInterval = pollInterval
        self.retryBaseSeconds = max(retryBaseSeconds, 0)
        self.retryCapSeconds = max(retryCapSeconds, self.retryBaseSeconds)
        self.retryJitter = min(max(retryJitter, 0), 1)
    }

    /// Seconds to wait before attempt `attempt + 1`, after attempt `attempt` (1-based) failed.
    public func retryDelay(afterAttempt attempt: Int) -> Double {
        let exponent = Double(min(max(attempt - 1, 0), 30))
        let delay = min(self.retryCapSeconds, self.retryBaseSeconds * pow2(exponent))
        guard self.retryJitter > 0 else { return delay }
        return delay * Double.random(in: (1 - self.retryJitter)...(1 + self.retryJitter))
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 2 }
        return value
    }
}
