import AnalyticsCore
import Logging
import MetadataStore

/// Runs short-lived work (a CLI command, a test) against a metadata store: opens it, keeps its
/// connection pool running for the duration, applies migrations, and shuts it down afterwards.
public enum StoreSession {
    public static func with<T: Sendable>(
        url: String,
        logger: Logger,
        migrate: Bool = true,
        _ body: @Sendable (any MetadataStore) async throws -> T
    ) async throws -> T {
        let store = try MetadataStores.open(url: url, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            defer { group.cancelAll() }
            if migrate { _ = try await store.migrate() }
            return try await body(store)
        }
    }
}
