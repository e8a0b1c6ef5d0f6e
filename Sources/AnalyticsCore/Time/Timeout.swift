/// Thrown by ``withTimeout(_:_:)`` when the time ran out first.
public struct TimeoutError: Error, Sendable, Equatable {
    public init() {}
}

/// Runs `body`, cancelling it and throwing ``TimeoutError`` once `timeout` has passed.
///
/// For work whose own deadline does not cover all of it (an HTTP client's deadline that ends at the
/// response head, a connection attempt that retries forever).
public func withTimeout<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimeoutError()
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw TimeoutError() }
        return first
    }
}
