import AnalyticsCore
import Foundation
import MetadataStore
import TestSupport
import Testing

@Suite("Store migrations")
struct MigrationTests {
    @Test(arguments: StoreBackend.allCases)
    func migrationsApplyOnceAndAreIdempotent(_ backend: StoreBackend) async throws {
        try await withStore(backend, migrate: false) { f in
            #expect(try await f.store.appliedMigrations().isEmpty)
            let expected = (backend == .sqlite ? SQLiteMigrations.all : PostgresMigrations.all).map(\.name)
            #expect(try await f.store.migrate() == expected)
            #expect(try await f.store.appliedMigrations() == expected)
            #expect(try await f.store.migrate().isEmpty, "the second run applies nothing")
            #expect(try await f.store.appliedMigrations() == expected)
            _ = try await f.store.createDataset(sampleDataset("after"), secret: sampleSecret(), actor: "admin")
            #expect(try await f.store.migrate().isEmpty)
            #expect(try await f.store.dataset(id: "after") != nil, "migrating again keeps the data")
        }
    }

    /// Driver errors (here: tables that do not exist yet) become coded errors without driver text.
    @Test(arguments: StoreBackend.allCases)
    func driverErrorsBecomeStoreUnavailable(_ backend: StoreBackend) async throws {
        try await withStore(backend, migrate: false) { f in
            let error = await expectError(.storeUnavailable) { try await f.store.dataset(id: "anything") }
            #expect(error?.httpStatus == 503)
            #expect(error?.message.contains("datasets") == false, "no SQL or server text leaks")
            #expect(error?.message.lowercased().contains("relation") == false)
            #expect(error?.message.lowercased().contains("no such table") == false)
            await expectError(.storeUnavailable) {
                try await f.store.createDataset(sampleDataset("early"), secret: sampleSecret(), actor: "admin")
            }
            await expectError(.storeUnavailable) { try await f.store.claimJob(kinds: ["x"], workerID: "w", leaseSeconds: 1) }
        }
    }

    /// Two processes starting at once on a fresh store: the schema is created exactly once.
    @Test(arguments: StoreBackend.allCases)
    func concurrentMigrationsApplyEachMigrationOnce(_ backend: StoreBackend) async throws {
        try await withStore(backend, migrate: false) { f in
            let results = try await f.withSecondStore { other in
                try await withThrowingTaskGroup(of: [String].self) { group in
                    group.addTask { try await f.store.migrate() }
                    group.addTask { try await other.migrate() }
                    return try await group.reduce(into: [String]()) { $0 += $1 }
                }
            }
            let expected = (backend == .sqlite ? SQLiteMigrations.all : PostgresMigrations.all).map(\.name)
            #expect(results.sorted() == expected.sorted())
            #expect(try await f.store.appliedMigrations() == expected)
        }
    }

    @Test func bothBackendsShareMigrationNamesInOrder() {
        #expect(SQLiteMigrations.all.map(\.name) == PostgresMigrations.all.map(\.name))
        #expect(SQLiteMigrations.all.map(\.name) == SQLiteMigrations.all.map(\.name).sorted())
        #expect(Set(SQLiteMigrations.all.map(\.name)).count == SQLiteMigrations.all.count)
    }

    @Test(arguments: StoreBackend.allCases)
    func pingAnswers(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            try await f.store.ping()
            #expect(f.store.backend == backend.rawValue)
        }
    }

    @Test func unreachablePostgresIsStoreUnavailableWithoutDriverText() async throws {
        let url = try ConnectionURL("postgres://nobody:TopSecretPw@127.0.0.1:1/none?sslmode=disable")
        let store = try PostgresMetadataStore(url: url, logger: testLogger, operationTimeout: .seconds(2))
        let error = try await runningStore(store) { store in
            await expectError(.storeUnavailable) { try await store.ping() }
        }
        #expect(error?.httpStatus == 503)
        #expect(error?.message.contains("TopSecretPw") == false)
        #expect(error?.hint?.contains("TopSecretPw") == false)
    }

    @Test func factoryRejectsUnknownURLs() throws {
        for url in ["mysql://x@y/z", "", "http://example.com", "sqlite:"] {
            #expect(throws: AnalyticsError.self) { try MetadataStores.open(url: url, logger: testLogger) }
            do {
                _ = try MetadataStores.open(url: url, logger: testLogger)
            } catch let error as AnalyticsError {
                #expect(error.code == .invalidConnectionURL)
            }
        }
        #expect(MetadataStores.defaultURL == "sqlite:./data/registry.sqlite")
    }

    @Test func factoryCreatesTheSQLiteDirectory() async throws {
        let directory = try TemporaryDirectory(prefix: "mcpa-factory")
        defer { directory.remove() }
        let path = directory.file("nested/deeper/registry.sqlite")
        let store = try MetadataStores.open(url: "sqlite:\(path)", logger: testLogger)
        #expect(store.backend == "sqlite")
        try await runningStore(store) { store in
            _ = try await store.migrate()
        }
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
