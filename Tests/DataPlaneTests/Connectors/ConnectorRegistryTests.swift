import AnalyticsCore
import DataPlane
import Foundation
import GRDB
import TestSupport
import Testing

@Suite("Connector registry: lifecycle, replacement, breakers, recovery")
struct ConnectorRegistryTests {
    /// Secrets the test can change while the registry runs, and how often they were read.
    final class SecretStore: Sendable {
        private let urls: TestBox<[String: ConnectionURL]>
        private let reads = TestBox(0)

        init(_ urls: [String: ConnectionURL]) {
            self.urls = TestBox(urls)
        }

        var readCount: Int { self.reads.value }

        func set(_ id: String, _ url: ConnectionURL) {
            var all = self.urls.value
            all[id] = url
            self.urls.set(all)
        }

        var provider: ConnectorRegistry.SecretProvider {
            { id in
                self.reads.set(self.reads.value + 1)
                guard let url = self.urls.value[id] else { throw AnalyticsError.datasetNotFound(id) }
                return url
            }
        }
    }

    static func sqliteFile(_ directory: TemporaryDirectory, _ name: String, label: String) throws -> ConnectionURL {
        let path = directory.file(name)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE which (label TEXT)")
            try db.execute(sql: "INSERT INTO which VALUES (?)", arguments: [label])
        }
        try queue.close()
        return try ConnectionURL("sqlite:" + path)
    }

    @Test("a newer dataset version replaces the connector and closes the old one; older versions reuse the newest")
    func replacementOnVersionChange() async throws {
        let directory = try TemporaryDirectory(prefix: "registry")
        defer { directory.remove() }
        let secrets = SecretStore(["panel": try Self.sqliteFile(directory, "a.sqlite", label: "a")])
        let b = try Self.sqliteFile(directory, "b.sqlite", label: "b")
        try await ConnectorFixtures.withRegistry(secrets: secrets.provider) { registry in
            let v1 = ConnectorFixtures.dataset("panel", kind: .sqlite, version: 1)
            let first = try await registry.query(dataset: v1, sql: "SELECT label FROM which", maxRows: 5, timeout: .seconds(5))
            #expect(first.rows == [["a"]])
            let old = try await registry.connector(for: v1)
            _ = try await registry.query(dataset: v1, sql: "SELECT 1", maxRows: 5, timeout: .seconds(5))
            #expect(secrets.readCount == 1, "the connector is reused while the version is unchanged")

            secrets.set("panel", b)
            let v2 = ConnectorFixtures.dataset("panel", kind: .sqlite, version: 2)
            let second = try await registry.query(dataset: v2, sql: "SELECT label FROM which", maxRows: 5, timeout: .seconds(5))
            #expect(second.rows == [["b"]])
            #expect(registry.loadedVersions() == ["panel": 2])
            await expectError(.datasetUnavailable) {
                _ = try await old.query("SELECT 1", binds: [], maxRows: 1, timeout: .seconds(5))
            }
            let stale = try await registry.query(dataset: v1, sql: "SELECT label FROM which", maxRows: 5, timeout: .seconds(5))
            #expect(stale.rows == [["b"]], "a caller holding an older version gets the newest connector")
            #expect(secrets.readCount == 2)

            registry.remove(datasetID: "panel")
            #expect(registry.loadedVersions().isEmpty)
            _ = try await registry.query(dataset: v2, sql: "SELECT 1", maxRows: 5, timeout: .seconds(5))
            #expect(secrets.readCount == 3)
            #expect(registry.health()["panel"]?.state == .closed)

            await expectError(.datasetNotFound) {
                _ = try await registry.query(dataset: ConnectorFixtures.dataset("ghost"), sql: "SELECT 1", maxRows: 1, timeout: .seconds(1))
            }
        }
    }

    @Test("a replaced PostgreSQL connector finishes its running query, then closes its connections")
    func gracefulReplacement() async throws {
        try await ConnectorFixtures.withDatabase { first in
            try await ConnectorFixtures.withDatabase { second in
                let secrets = SecretStore(["events": first.url])
                let app = PostgresConnector.applicationName("events")
                try await ConnectorFixtures.withRegistry(secrets: secrets.provider) { registry in
                    let v1 = ConnectorFixtures.dataset("events", version: 1)
                    let v2 = ConnectorFixtures.dataset("events", version: 2)
                    let running = try await withThrowingTaskGroup(of: RawRows.self) { group in
                        group.addTask {
                            try await registry.query(
                                dataset: v1,
                                sql: "SELECT current_database() FROM pg_sleep(0.6)",
                                maxRows: 1,
                                timeout: .seconds(10)
                            )
                        }
                        // Wait until the slow query is running, then replace the connector under it.
                        var active: Int64 = 0
                        for _ in 0..<200 where active == 0 {
                            try await Task.sleep(for: .milliseconds(10))
                            active = try await ConnectorFixtures.int(
                                "SELECT count(*) FROM pg_stat_activity WHERE application_name = '\(app)' AND state = 'active'",
                                on: first.url
                            )
                        }
                        #expect(active == 1)
                        secrets.set("events", second.url)
                        let replaced = try await registry.query(dataset: v2, sql: "SELECT current_database()", maxRows: 1, timeout: .seconds(5))
                        #expect(replaced.rows == [[.string(second.name)]])
                        return try await group.next()!
                    }
                    #expect(running.rows == [[.string(first.name)]], "the in-flight query on the old connector completed")
                    var remaining: Int64 = 1
                    for _ in 0..<200 where remaining > 0 {
                        remaining = try await ConnectorFixtures.int(
                            "SELECT count(*) FROM pg_stat_activity WHERE application_name = '\(app)' AND datname = '\(first.name)'",
                            on: first.url
                        )
                        if remaining > 0 { try await Task.sleep(for: .milliseconds(20)) }
                    }
                    #expect(remaining == 0, "the old pool closed its connections")
                }
            }
        }
    }

    @Test("a stopped database answers DATASET_UNAVAILABLE (fast once the breaker opens), others keep answering, and it recovers")
    func outageAndRecovery() async throws {
        let cluster = try await ThrowawayCluster.start()
        do {
            // CHECKPOINT: the cluster runs without synchronous commits and is about to be killed.
            try await TestPostgres.execute(["CREATE TABLE t AS SELECT 42 AS answer", "CHECKPOINT"], on: cluster.url)
            try await ConnectorFixtures.withDatabase { healthy in
                let secrets = SecretStore(["remote": cluster.url, "local": healthy.url])
                let settings = ConnectorFixtures.settings(connectTimeoutMs: 500)
                let remote = ConnectorFixtures.dataset("remote", settings: settings)
                let local = ConnectorFixtures.dataset("local", settings: settings)
                try await ConnectorFixtures.withRegistry(secrets: secrets.provider) { registry in
                    let before = try await registry.query(dataset: remote, sql: "SELECT answer FROM t", maxRows: 1, timeout: .seconds(5))
                    #expect(before.rows == [[42]])
                    _ = try await registry.query(dataset: local, sql: "SELECT 1", maxRows: 1, timeout: .seconds(5))

                    try await cluster.stop()
                    for _ in 0..<2 {
                        let error = await expectError(.datasetUnavailable) {
                            _ = try await registry.query(dataset: remote, sql: "SELECT answer FROM t", maxRows: 1, timeout: .seconds(5))
                        }
                        #expect(error?.details?["circuit"] == nil, "the database itself was tried")
                    }
                    #expect(registry.health()["remote"]?.state == .open)
                    let fast = await expectError(.datasetUnavailable) {
                        _ = try await registry.query(dataset: remote, sql: "SELECT answer FROM t", maxRows: 1, timeout: .seconds(5))
                    }
                    #expect(fast?.details?["circuit"] == "open", "an open breaker answers without trying")
                    let other = try await registry.query(dataset: local, sql: "SELECT 7", maxRows: 1, timeout: .seconds(5))
                    #expect(other.rows == [[7]], "the other dataset keeps answering")
                    #expect(registry.health()["local"]?.state == .closed)

                    try await cluster.restart()
                    var recovered: RawRows?
                    for _ in 0..<60 where recovered == nil {
                        try await Task.sleep(for: .milliseconds(350))
                        recovered = try? await registry.query(dataset: remote, sql: "SELECT answer FROM t", maxRows: 1, timeout: .seconds(5))
                    }
                    #expect(recovered?.rows == [[42]])
                    #expect(registry.health()["remote"]?.state == .closed)
                    #expect(registry.loadedVersions() == ["remote": 1, "local": 1], "recovered without new connectors")
                    #expect(secrets.readCount == 2)
                }
            }
        } catch {
            await cluster.destroy()
            throw error
        }
        await cluster.destroy()
    }
}
