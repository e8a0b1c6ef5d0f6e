import Logging
import PostgresNIO

/// The floor every other path is compared with: the same statement straight through PostgresNIO,
/// all rows read, on a pool as large as the most concurrent callers.
struct DirectQueryPath: Sendable {
    let client: PostgresClient
    let logger: Logger

    func execute(_ sql: String) async -> (BenchCallOutcome, Duration?) {
        let started = ContinuousClock.now
        do {
            for try await _ in try await self.client.query(PostgresQuery(unsafeSQL: sql), logger: self.logger) {}
            return (.ok(cached: false), ContinuousClock.now - started)
        } catch {
            return (.failed(code: nil, message: String(reflecting: error)), nil)
        }
    }
}
