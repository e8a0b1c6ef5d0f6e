import Foundation
import Testing

/// Polls `read` until its value satisfies `condition`, for effects that happen in the background
/// (change events, jobs, purges) — never to measure speed. The deadline only guards against a hang:
/// the last value is returned and the caller's own expectations then fail.
public func eventually<T: Sendable>(
    within timeout: Duration = .seconds(60),
    _ read: () async throws -> T,
    until condition: (T) -> Bool
) async throws -> T {
    let deadline = ContinuousClock.now + timeout
    var value = try await read()
    while !condition(value), ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(20))
        value = try await read()
    }
    return value
}

/// Waits until `condition` holds, recording an issue if it does not within `timeout`.
public func eventually(
    timeout: Duration = .seconds(10),
    sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws {
    let met = try await eventually(within: timeout, condition, until: { $0 })
    if !met { Issue.record("condition not met within \(timeout)", sourceLocation: sourceLocation) }
}
