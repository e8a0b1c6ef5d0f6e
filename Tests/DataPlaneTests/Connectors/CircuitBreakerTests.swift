import AnalyticsCore
import DataPlane
import Synchronization
import TestSupport
import Testing

@Suite("Circuit breaker")
struct CircuitBreakerTests {
    static let down = AnalyticsError(.datasetUnavailable, "down")

    static func breaker(_ clock: ManualClock, threshold: Int = 3) -> CircuitBreaker {
        CircuitBreaker(
            name: "panel",
            configuration: CircuitBreaker.Configuration(failureThreshold: threshold, coolDown: .seconds(10)),
            now: { clock.now }
        )
    }

    /// Runs one call through the breaker; returns the error code it answered, or nil on success.
    @discardableResult
    static func call(_ breaker: CircuitBreaker, failing error: (any Error)? = nil, calls: Counter? = nil) async -> ErrorCode? {
        do {
            try await breaker.execute {
                calls?.increment()
                if let error { throw error }
            }
            return nil
        } catch let error as AnalyticsError {
            return error.code
        } catch {
            Issue.record("the breaker let a non-coded error through: \(error)")
            return .internalError
        }
    }

    final class Counter: Sendable {
        private let count = Mutex(0)
        var value: Int { self.count.withLock { $0 } }
        func increment() { self.count.withLock { $0 += 1 } }
    }

    @Test("opens after N consecutive infrastructure failures and then fails fast without calling")
    func opensAtThreshold() async {
        let clock = ManualClock()
        let breaker = Self.breaker(clock)
        let calls = Counter()
        await Self.call(breaker, failing: Self.down, calls: calls)
        await Self.call(breaker, failing: Self.down, calls: calls)
        #expect(breaker.state == .closed)
        #expect(breaker.snapshot.consecutiveFailures == 2)
        await Self.call(breaker, failing: Self.down, calls: calls)
        #expect(breaker.state == .open)
        #expect(calls.value == 3)

        let code = await Self.call(breaker, calls: calls)
        #expect(code == .datasetUnavailable)
        #expect(calls.value == 3, "an open circuit does not call the dataset")
        #expect(breaker.snapshot.retryAfter == .seconds(10))
        clock.advance(by: .seconds(4))
        #expect(breaker.snapshot.retryAfter == .seconds(6))
        #expect(await Self.call(breaker, calls: calls) == .datasetUnavailable)
        #expect(breaker.snapshot.timesOpened == 1)
    }

    @Test("SQL errors, timeouts and successes reset the count; they are not infrastructure failures")
    func otherOutcomesReset() async {
        let clock = ManualClock()
        let breaker = Self.breaker(clock, threshold: 2)
        await Self.call(breaker, failing: Self.down)
        await Self.call(breaker, failing: AnalyticsError(.queryFailed, "bad column"))
        #expect(breaker.snapshot.consecutiveFailures == 0)
        await Self.call(breaker, failing: Self.down)
        await Self.call(breaker, failing: AnalyticsError(.queryTimeout, "slow"))
        await Self.call(breaker, failing: Self.down)
        await Self.call(breaker)
        await Self.call(breaker, failing: Self.down)
        #expect(breaker.state == .closed)
        await Self.call(breaker, failing: Self.down)
        #expect(breaker.state == .open)
    }

    @Test("after the cool-down exactly one probe goes through; success closes the circuit")
    func halfOpenSingleProbe() async throws {
        let clock = ManualClock()
        let breaker = Self.breaker(clock, threshold: 1)
        await Self.call(breaker, failing: Self.down)
        #expect(breaker.state == .open)
        clock.advance(by: .seconds(10))
        #expect(breaker.state == .halfOpen)

        let calls = Counter()
        let (entered, enteredContinuation) = AsyncStream<Void>.makeStream()
        let (release, releaseContinuation) = AsyncStream<Void>.makeStream()
        try await withThrowingTaskGroup(of: ErrorCode?.self) { group in
            group.addTask {
                do {
                    try await breaker.execute {
                        calls.increment()
                        enteredContinuation.yield()
                        for await _ in release { break }
                    }
                    return nil
                } catch let error as AnalyticsError {
                    return error.code
                }
            }
            for await _ in entered { break }
            // The probe is in flight: everyone else still fails fast.
            for _ in 0..<5 {
                #expect(await Self.call(breaker, calls: calls) == .datasetUnavailable)
            }
            #expect(calls.value == 1)
            #expect(breaker.state == .halfOpen)
            releaseContinuation.yield()
            let probe = try await group.next()
            #expect(probe == .some(nil))
        }
        #expect(breaker.state == .closed)
        #expect(await Self.call(breaker, calls: calls) == nil)
        #expect(calls.value == 2)
    }

    @Test("a failed probe re-opens the circuit for another cool-down; a cancelled probe lets the next caller probe")
    func probeFailureReopens() async {
        let clock = ManualClock()
        let breaker = Self.breaker(clock, threshold: 1)
        await Self.call(breaker, failing: Self.down)
        clock.advance(by: .seconds(10))
        await Self.call(breaker, failing: AnalyticsError(.queryCancelled, "caller left"))
        #expect(breaker.state == .halfOpen)
        await Self.call(breaker, failing: Self.down)
        #expect(breaker.state == .open)
        #expect(breaker.snapshot.timesOpened == 2)
        #expect(breaker.snapshot.retryAfter == .seconds(10))
        clock.advance(by: .seconds(9))
        #expect(await Self.call(breaker) == .datasetUnavailable)
        clock.advance(by: .seconds(1))
        #expect(await Self.call(breaker) == nil)
        #expect(breaker.state == .closed)
        #expect(breaker.snapshot.consecutiveFailures == 0)
    }
}
