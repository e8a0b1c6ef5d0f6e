import Logging
import PostgresNIO

/// Stops a statement on the server when its caller stops waiting for it.
///
/// PostgresNIO reacts to task cancellation by discarding the rest of a result locally, but the
/// backend keeps executing (a `pg_sleep(30)` keeps its connection busy for 30 s). The watch runs
/// beside the statement and, when the calling task is cancelled or the client-side deadline
/// passes, asks the server to cancel the backend with `pg_cancel_backend(pid)` over a short-lived
/// side connection; a streamed result that reached its cap stops its statement the same way. If
/// even that fails the leased connection is closed, and the pool replaces it. Cancels are only
/// sent while the lease is held, so they cannot hit another caller's statement.
struct PostgresStatementWatch: Sendable {
    enum Reason: Sendable, Equatable {
        case cancelled
        case deadline
    }

    /// Thrown when the watch had to stop the statement; `underlying` is what the statement threw.
    struct Interrupted: Error {
        var reason: Reason
        var underlying: any Error
    }

    /// Lets a statement that has read all it needs stop the rest of its work on the server.
    struct Signal: Sendable {
        let watch: PostgresStatementWatch
        let backendPID: Int32
        let connection: PostgresConnection

        /// Returns once the server has been told; later statements on the connection are safe.
        func stopStatement() async {
            await self.watch.cancelBackend(self.backendPID, leased: self.connection)
        }
    }

    let configuration: PostgresConnection.Configuration
    let logger: Logger

    func run<T: Sendable>(
        on connection: PostgresConnection,
        backendPID: Int32,
        deadline: ContinuousClock.Instant,
        _ body: @escaping @Sendable (Signal) async throws -> T
    ) async throws -> T {
        let (events, continuation) = AsyncStream<Void>.makeStream()
        // Set once the statement can no longer be running on the server (it returned or failed
        // there); from then on the watch must not cancel anything, even while being torn down.
        let finished = LockedBox(false)
        let stopped = LockedBox<Reason?>(nil)
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    do {
                        let value = try await body(Signal(watch: self, backendPID: backendPID, connection: connection))
                        finished.set(true)
                        continuation.finish()
                        return value
                    } catch {
                        // A cancelled task may have left the statement running: let the watch decide.
                        if !Task.isCancelled {
                            finished.set(true)
                            continuation.finish()
                        }
                        throw error
                    }
                }
                group.addTask {
                    guard let reason = await Self.firstStop(events, deadline: deadline), !finished.value else { return nil }
                    stopped.set(reason)
                    await self.cancelBackend(backendPID, leased: connection)
                    return nil
                }
                var result: T?
                while let next = try await group.next() {
                    if let next { result = next }
                }
                guard let result else { throw CancellationError() }
                return result
            }
        } catch {
            if let reason = stopped.value {
                throw Interrupted(reason: reason, underlying: error)
            }
            throw error
        }
    }

    /// `finished` ends (without elements) when the statement is done.
    static func firstStop(_ finished: AsyncStream<Void>, deadline: ContinuousClock.Instant) async -> Reason? {
        await withTaskGroup(of: Reason?.self) { group in
            group.addTask {
                for await _ in finished {}
                return Task.isCancelled ? .cancelled : nil
            }
            group.addTask {
                do {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    return .deadline
                } catch {
                    return .cancelled
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// Cancels the backend's current statement from a side connection; closes the leased
    /// connection if the server cannot be told. Uses future-based calls on purpose: they complete
    /// even though the calling task is already cancelled.
    func cancelBackend(_ pid: Int32, leased: PostgresConnection) async {
        let logger = self.logger
        let eventLoop = leased.eventLoop
        let cancelled = PostgresConnection.connect(on: eventLoop, configuration: self.configuration, id: 0, logger: logger)
            .flatMap { side in
                side.query("SELECT pg_catalog.pg_cancel_backend(\(pid))", logger: logger)
                    .map { _ in () }
                    .flatMap { side.close() }
                    .flatMapError { error in side.close().flatMapThrowing { throw error } }
            }
        do {
            try await cancelled.get()
        } catch {
            logger.warning("could not cancel a statement server-side; closing its connection", metadata: ["mcpa.backend_pid": "\(pid)"])
            try? await leased.close().get()
        }
    }
}
