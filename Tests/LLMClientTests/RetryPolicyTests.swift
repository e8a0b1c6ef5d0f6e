import Foundation
import Logging
import Testing

@testable import LLMClient

/// The pure parts of the retry policy: backoff bounds and `Retry-After` parsing.
@Suite struct RetryPolicyTests {
    let loop = RetryLoop(
        configuration: LLMConfiguration(
            apiKey: LLMAPIKey("k"),
            backoffBase: .milliseconds(100),
            backoffCap: .seconds(1),
            retryAfterCap: .seconds(30)
        ),
        logger: Logger(label: "test")
    )

    @Test func fullJitterStaysWithinTheExponentialCeiling() {
        let failure = AttemptFailure(kind: .serverError, status: 500, reason: "HTTP 500")
        for (retry, ceiling) in [
            (0, Duration.milliseconds(100)), (1, .milliseconds(200)), (3, .milliseconds(800)), (4, .seconds(1)), (40, .seconds(1)),
        ] {
            let delays = (0..<200).map { _ in self.loop.delay(beforeRetry: retry, after: failure) }
            #expect(delays.allSatisfy { $0 >= .zero && $0 <= ceiling })
            // Jitter: the waits spread out instead of all hitting the ceiling.
            #expect(Set(delays).count > 100)
            #expect(delays.contains { $0 < ceiling / 2 })
        }
    }

    @Test func retryAfterReplacesBackoffAndIsCapped() {
        let asked = AttemptFailure(kind: .rateLimited, status: 429, reason: "HTTP 429", retryAfter: .seconds(7))
        let greedy = AttemptFailure(kind: .rateLimited, status: 429, reason: "HTTP 429", retryAfter: .seconds(3600))

        #expect(self.loop.delay(beforeRetry: 0, after: asked) == .seconds(7))
        #expect(self.loop.delay(beforeRetry: 0, after: greedy) == .seconds(30))
    }

    @Test func retryAfterSecondsAndMilliseconds() {
        #expect(RetryAfter.parse(retryAfter: "1", retryAfterMilliseconds: nil) == .seconds(1))
        #expect(RetryAfter.parse(retryAfter: " 20 ", retryAfterMilliseconds: nil) == .seconds(20))
        #expect(RetryAfter.parse(retryAfter: "20", retryAfterMilliseconds: "1500") == .milliseconds(1500))
        #expect(RetryAfter.parse(retryAfter: nil, retryAfterMilliseconds: nil) == nil)
        #expect(RetryAfter.parse(retryAfter: "-5", retryAfterMilliseconds: nil) == nil)
        #expect(RetryAfter.parse(retryAfter: "soon", retryAfterMilliseconds: nil) == nil)
    }

    @Test func retryAfterHTTPDate() throws {
        let now = try #require(RetryAfter.httpDate("Wed, 21 Oct 2015 07:28:00 GMT"))

        #expect(RetryAfter.parse(retryAfter: "Wed, 21 Oct 2015 07:28:30 GMT", retryAfterMilliseconds: nil, now: now) == .seconds(30))
        #expect(RetryAfter.parse(retryAfter: "Wednesday, 21-Oct-15 07:29:00 GMT", retryAfterMilliseconds: nil, now: now) == .seconds(60))
        // A date in the past means "now".
        #expect(RetryAfter.parse(retryAfter: "Wed, 21 Oct 2015 07:00:00 GMT", retryAfterMilliseconds: nil, now: now) == .zero)
    }
}
