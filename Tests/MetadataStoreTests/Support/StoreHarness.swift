import AnalyticsCore
import Foundation
import Logging
import MetadataStore
import TestSupport
import Testing

/// The two store implementations every contract test runs against.
/// One store under test plus what a test needs to open a second instance on the same data
/// (another "process": its own pool, its own connections).
struct StoreFixture: Sendable {
    let backend: StoreBackend
    let store: any MetadataStore
    /// The store URL, for `MetadataStores.open`.
    let url: String
    /// A scratch directory the fixture removes at the end.
    let directory: TemporaryDirectory
    /// The SQLite file, for tests that read its bytes.
    var sqlitePath: String? { self.backend == .sqlite ? self.directory.file("registry.sqlite") : nil }

    /// Opens a second, independent store on the same database and runs it for the duration of `body`.
    func withSecondStore<T: Sendable>(_ body: (any MetadataStore) async throws -> T) async throws -> T {
        let other = try MetadataStores.open(url: self.url, logger: testLogger)
        return try await runningStore(other, body)
    }
}

let testLogger: Logger = {
    var logger = Logger(label: "test.metadata-store")
    logger.logLevel = ProcessInfo.processInfo.environment["MCPA_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
    return logger
}()

/// Runs `store` as a service while `body` uses it, then cancels it.
func runningStore<T: Sendable>(_ store: any MetadataStore, _ body: (any MetadataStore) async throws -> T) async throws -> T {
    try await withRunning(store) { try await body(store) }
}

/// Creates a fresh, migrated store of `backend` (a new SQLite file or a new PostgreSQL database),
/// runs `body` with it, and removes it afterwards.
func withStore<T: Sendable>(_ backend: StoreBackend, migrate: Bool = true, _ body: (StoreFixture) async throws -> T) async throws -> T {
    let directory = try TemporaryDirectory(prefix: "mcpa-store")
    var database: TestDatabase?
    let url: String
    switch backend {
    case .sqlite:
        url = "sqlite:" + directory.file("registry.sqlite")
    case .postgres:
        let created = try await TestPostgres.createDatabase(prefix: "store")
        database = created
        url = try databaseURL(named: created.name)
    }
    do {
        let store = try MetadataStores.open(url: url, logger: testLogger)
        let result = try await runningStore(store) { store in
            if migrate { _ = try await store.migrate() }
            return try await body(StoreFixture(backend: backend, store: store, url: url, directory: directory))
        }
        await database?.drop()
        directory.remove()
        return result
    } catch {
        await database?.drop()
        directory.remove()
        throw error
    }
}

/// The server URL with its database replaced by `name`.
///
/// `TestDatabase.url` swaps the text "/postgres" for the new name, which also hits the user name
/// when the server URL is `postgres://postgres:…@…/postgres`; building the URL from its components
/// avoids that.
func databaseURL(named name: String) throws -> String {
    let server = try TestPostgres.serverURL()
    guard var components = URLComponents(string: server.raw) else { throw UnusableServerURL() }
    components.path = "/" + name
    guard let url = components.string else { throw UnusableServerURL() }
    return url
}

struct UnusableServerURL: Error, CustomStringConvertible {
    var description: String { "\(TestPostgres.environmentKey) is not a URL that a database name can be put into." }
}

/// Expects `body` to throw an `AnalyticsError` with `code`, and returns it for further checks.
@discardableResult
func expectError<T>(
    _ code: ErrorCode,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> T
) async -> AnalyticsError? {
    do {
        _ = try await body()
        Issue.record("Expected \(code.rawValue), but the call succeeded.", sourceLocation: sourceLocation)
        return nil
    } catch let error as AnalyticsError {
        #expect(error.code == code, "got \(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("Expected \(code.rawValue), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// A dataset value for tests.
func sampleDataset(
    _ id: String,
    state: LifecycleState = .draft,
    tags: [String] = [],
    everApproved: Bool = false
) -> Dataset {
    Dataset(
        id: id,
        name: "Dataset \(id)",
        description: "Test dataset \(id)",
        state: state,
        tags: tags,
        owner: "owner@example.com",
        defaultPersona: nil,
        connectionKind: .postgres,
        redactedURL: "postgres://reader:***@db.example.com:5432/\(id)",
        settings: DatasetSettings(poolSize: 3),
        weighting: ["respondent_table": "respondents", "weight_column": "weight"],
        metadata: nil,
        warnings: ["login can write"],
        everApproved: everApproved,
        createdBy: "admin"
    )
}

/// A placeholder ciphertext; contract tests of the store do not need real encryption.
func sampleSecret(_ tag: String = "k1") -> SealedSecret {
    SealedSecret(keyID: tag, combined: Data("ciphertext-\(tag)".utf8))
}

/// Waits for the first event in `stream` that matches `predicate`; `nil` (and the test fails on
/// its own check) if none arrives within `seconds`, so a broken feed fails instead of hanging.
func waitForEvent(
    in stream: AsyncStream<ChangeEvent>,
    within seconds: Double = 30,
    where predicate: @escaping @Sendable (ChangeEvent) -> Bool
) async throws -> ChangeEvent? {
    try await withThrowingTaskGroup(of: ChangeEvent?.self) { group in
        group.addTask {
            for await event in stream where predicate(event) { return event }
            return nil
        }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        let first = try await group.next() ?? nil
        group.cancelAll()
        return first
    }
}
