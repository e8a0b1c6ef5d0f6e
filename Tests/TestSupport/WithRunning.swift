import ServiceLifecycle

/// Runs `service` as a child task while `body` runs, then cancels it (as a kill would) and returns
/// what `body` returned; a failure of `body` is rethrown after the cancellation.
public func withRunning<S: Service, T: Sendable>(_ service: S, _ body: () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await service.run() }
        defer { group.cancelAll() }
        return try await body()
    }
}
