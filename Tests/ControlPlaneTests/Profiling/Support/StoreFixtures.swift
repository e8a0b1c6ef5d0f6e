import AnalyticsCore
import ControlPlane
import DataPlane
import Foundation
import MetadataStore
import TestSupport

/// A migrated metadata store of either backend, running for the duration of a test.
enum StoreFixtures {
    enum Kind: String, Sendable {
        case sqlite
        case postgres
    }

    static func withStore<T: Sendable>(_ kind: Kind, _ body: (any MetadataStore) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory(prefix: "mcpa-profile-store")
        defer { directory.remove() }
        var database: TestDatabase?
        let url: String
        switch kind {
        case .sqlite: url = "sqlite:" + directory.file("registry.sqlite")
        case .postgres:
            let created = try await TestPostgres.createDatabase(prefix: "pstore")
            database = created
            url = created.url.raw
        }
        do {
            let store = try MetadataStores.open(url: url, logger: ProfilingFixtures.logger)
            let result = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await store.run() }
                defer { group.cancelAll() }
                _ = try await store.migrate()
                return try await body(store)
            }
            await database?.drop()
            return result
        } catch {
            await database?.drop()
            throw error
        }
    }

    /// Registers `id` in the store (the connection secret is a placeholder: the tests lend the connector).
    static func register(_ id: String, kind: ConnectionURL.Kind, weighting: JSONValue? = nil, in store: any MetadataStore) async throws {
        let dataset = Dataset(
            id: id,
            name: "Dataset \(id)",
            connectionKind: kind,
            redactedURL: "\(kind.rawValue)://redacted",
            weighting: weighting,
            createdBy: "test"
        )
        _ = try await store.createDataset(dataset, secret: SealedSecret(keyID: "test", combined: Data("placeholder".utf8)), actor: "test")
    }

    static let reviewer = Principal(id: "t-reviewer", name: "reviewer", role: .reviewer)
    static let analyst = Principal(id: "t-analyst", name: "analyst", role: .analyst)
    static let viewer = Principal(id: "t-viewer", name: "viewer", role: .viewer)
}
