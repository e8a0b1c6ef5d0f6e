import AnalyticsCore
import Synchronization

/// Fails fast for a dataset whose database keeps failing, so callers get `DATASET_UNAVAILABLE` at
/// once instead of each waiting out a connect timeout (DESIGN §5.1 layer 4).
///
/// - **closed**: calls pass; `failureThreshold` consecutive *infrastructure* failures
///   (`DATASET_UNAVAILABLE`) open the circuit. Any other outcome — success, a SQL error, a timeout —
///   proves the database answered and resets the count.
/// - **open**: calls fail immediately until `coolDown` has passed since the circuit opened.
/// - **half-open**: exactly one call goes through as a probe while the others keep failing fast; the
///   probe's success closes the circuit, its infrastructure failure re-opens it for another cool-down.
///   A cancelled probe changes nothing and lets the next caller probe.
///
/// Time comes from an injectable `now` so tests can move it forward without sleeping.
public final class CircuitBreaker: Sendable {
    public struct Configuration: Sendable, Hashable {
        public var failureThreshold: Int
        public var coolDown: Duration

        public init(failureThreshold: Int = 5, coolDown: Duration = .seconds(10)) {
            self.failureThreshold = max(1, failureThreshold)
            self.coolDown = coolDown
        }
    }

    public enum State: String, Sendable, Hashable, Codable {
        case closed
        case open
        case halfOpen = "half_open"
    }

    /// A point-in-time view for health endpoints and metrics.
    public struct Snapshot: Sendable, Hashable {
        public var state: State
        public var consecutiveFailures: Int
        /// While open: how long until a probe is allowed.
        public var retryAfter: Duration?
        /// Times the circuit has opened since it was created.
        public var timesOpened: Int
    }

    private enum Phase {
        case closed
        case open(until: ContinuousClock.Instant)
        case halfOpen(probing: Bool)
    }

    private struct Storage {
        var phase: Phase = .closed
        var consecutiveFailures = 0
        var timesOpened = 0
    }

    /// Whether a caller passed as an ordinary call or as the half-open probe.
    enum Permit {
        case normal
        case probe
    }

    public let name: String
    public let configuration: Configuration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let storage = Mutex(Storage())

    /// - Parameters:
    ///   - name: the dataset id, used in error messages.
    ///   - now: the time source; tests pass a manual clock.
    public init(
        name: String,
        configuration: Configuration = Configuration(),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.name = name
        self.configuration = configuration
        self.now = now
    }

    public var snapshot: Snapshot {
        let now = self.now()
        return self.storage.withLock { storage in
            switch storage.phase {
            case .closed:
                return Snapshot(state: .closed, consecutiveFailures: storage.consecutiveFailures, retryAfter: nil, timesOpened: storage.timesOpened)
            case .open(let until):
                if until <= now {
                    return Snapshot(
                        state: .halfOpen,
                        consecutiveFailures: storage.consecutiveFailures,
                        retryAfter: .zero,
                        timesOpened: storage.timesOpened
                    )
                }
                return Snapshot(
                    state: .open,
                    consecutiveFailures: storage.consecutiveFailures,
                    retryAfter: now.duration(to: until),
                    timesOpened: storage.timesOpened
                )
            case .halfOpen:
                return Snapshot(state: .halfOpen, consecutiveFailures: storage.consecutiveFailures, retryAfter: nil, timesOpened: storage.timesOpened)
            }
        }
    }

    public var state: State { self.snapshot.state }

    /// Runs `body` if the circuit lets it through, and records its outcome.
    public func execute<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let permit = try self.acquire()
        do {
            let value = try await body()
            self.record(.success, permit: permit)
            return value
        } catch {
            self.record(Self.outcome(of: error), permit: permit)
            throw error
        }
    }

    enum Outcome {
        case success
        case infrastructureFailure
        case abandoned
    }

    static func outcome(of error: any Error) -> Outcome {
        guard let error = error as? AnalyticsError else {
            return error is CancellationError ? .abandoned : .success
        }
        switch error.code {
        case .datasetUnavailable: return .infrastructureFailure
        case .queryCancelled: return .abandoned
        default: return .success
        }
    }

    func acquire() throws -> Permit {
        let now = self.now()
        let decision = self.storage.withLock { storage -> Result<Permit, AnalyticsError> in
            switch storage.phase {
            case .closed:
                return .success(.normal)
            case .open(let until):
                guard until <= now else { return .failure(self.openError(retryAfter: now.duration(to: until))) }
                storage.phase = .halfOpen(probing: true)
                return .success(.probe)
            case .halfOpen(let probing):
                guard !probing else { return .failure(self.openError(retryAfter: nil)) }
                storage.phase = .halfOpen(probing: true)
                return .success(.probe)
            }
        }
        return try decision.get()
    }

    func record(_ outcome: Outcome, permit: Permit) {
        let now = self.now()
        self.storage.withLock { storage in
            switch (outcome, permit) {
            case (.success, _):
                storage.phase = .closed
                storage.consecutiveFailures = 0
            case (.abandoned, .probe):
                if case .halfOpen = storage.phase { storage.phase = .halfOpen(probing: false) }
            case (.abandoned, .normal):
                break
            case (.infrastructureFailure, .probe):
                storage.consecutiveFailures += 1
                storage.phase = .open(until: now + self.configuration.coolDown)
                storage.timesOpened += 1
            case (.infrastructureFailure, .normal):
                guard case .closed = storage.phase else {
                    storage.consecutiveFailures += 1
                    return
                }
                storage.consecutiveFailures += 1
                if storage.consecutiveFailures >= self.configuration.failureThreshold {
                    storage.phase = .open(until: now + self.configuration.coolDown)
                    storage.timesOpened += 1
                }
            }
        }
    }

    private func openError(retryAfter: Duration?) -> AnalyticsError {
        let wait = retryAfter.map { " for another \($0.shortText)" } ?? " while a probe query checks it"
        return AnalyticsError(
            .datasetUnavailable,
            "Dataset '\(self.name)' is unavailable: its database failed repeatedly, so queries are refused\(wait).",
            hint: "Retry later; an operator can check the dataset's health on /health.",
            details: ["circuit": .string(State.open.rawValue)]
        )
    }
}
