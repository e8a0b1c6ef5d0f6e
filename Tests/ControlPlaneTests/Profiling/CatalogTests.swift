import AnalyticsCore
import ControlPlane
import Foundation
import TestSupport
import Testing

/// Views, schemas, table filters and statements that run out of time.
@Suite("Profiler catalogue")
struct CatalogTests {
    static func setup(_ backend: StoreBackend) -> [String] {
        var statements = [
            "CREATE TABLE items (item_id INTEGER PRIMARY KEY, label TEXT, price DOUBLE PRECISION)",
            "INSERT INTO items VALUES " + (1...500).map { "(\($0), 'item \($0 % 10)', \(Double($0) / 4))" }.joined(separator: ", "),
            "CREATE VIEW cheap_items AS SELECT item_id, label FROM items WHERE price < 50",
            // Counting to a billion: every statement over this view outlives a one-second timeout.
            """
            CREATE VIEW endless AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT x FROM c
            """,
        ]
        if backend == .postgres {
            statements += [
                "COMMENT ON VIEW cheap_items IS 'Items under 50'",
                "CREATE SCHEMA archive",
                "CREATE TABLE archive.items (item_id integer PRIMARY KEY, label text)",
                "CREATE MATERIALIZED VIEW item_labels AS SELECT DISTINCT label FROM items",
            ]
        }
        return statements
    }

    @Test("views are profiled beside tables, with their own kind and statistics", arguments: StoreBackend.allCases)
    func views(_ backend: StoreBackend) async throws {
        try await ProfilingFixtures.withDataset(backend, setup: Self.setup(backend)) { dataset in
            let profile = try await ProfilingFixtures.profile(
                dataset,
                ProfilerConfiguration(tables: ["items", "cheap_items", "item_labels", "archive.items"])
            )
            let view = try #require(profile.table(named: "cheap_items"))
            #expect(view.kind == .view)
            #expect(view.rowCount == 199)
            #expect(view.columns.map(\.name) == ["item_id", "label"])
            #expect(view.column(named: "label")?.distinctEstimate == 10)
            if backend == .postgres {
                #expect(view.comment == "Items under 50")
                #expect(profile.table(named: "item_labels")?.kind == .materializedView)
                #expect(profile.table(named: "archive.items")?.schema == "archive", "other schemas are profiled too")
                #expect(profile.tables.count == 4)
            } else {
                #expect(profile.tables.map(\.name).sorted() == ["cheap_items", "items"])
            }
        }
    }

    @Test("the schema filter limits PostgreSQL profiling to the schemas named")
    func schemaFilter() async throws {
        try await ProfilingFixtures.withDataset(.postgres, setup: Self.setup(.postgres)) { dataset in
            let profile = try await ProfilingFixtures.profile(dataset, ProfilerConfiguration(schemas: ["archive"]))
            #expect(profile.tables.map(\.qualifiedName) == ["archive.items"])
        }
    }

    @Test("a statement that outlives its timeout costs only its own numbers, recorded as a warning", arguments: StoreBackend.allCases)
    func timeouts(_ backend: StoreBackend) async throws {
        try await ProfilingFixtures.withDataset(backend, setup: Self.setup(backend)) { dataset in
            let started = ContinuousClock.now
            let profile = try await ProfilingFixtures.profile(
                dataset,
                ProfilerConfiguration(statementTimeout: .seconds(1), schemas: ["public"], tables: ["items", "endless"])
            )
            #expect(ContinuousClock.now - started < .seconds(60), "the endless view did not hold the run")
            let endless = try #require(profile.table(named: "endless"))
            #expect(endless.warnings?.count == 1)
            #expect(endless.warnings?.first?.hasPrefix("row count:") == true, "\(endless.warnings ?? [])")
            #expect(endless.columns.map(\.name) == ["x"], "its structure is still reported")
            #expect(endless.columns.first?.nullFraction == nil)
            #expect(profile.tables.count == 2, "archive.items is outside the schema filter")
            let items = try #require(profile.table(named: "items"))
            #expect(items.warnings == nil)
            #expect(items.rowCount == 500)

            let findings = try await QualityEngine(logger: ProfilingFixtures.logger).run(QualityContext(profile: profile))
            #expect(findings.contains { $0.ruleID == "profile.incomplete" && $0.table == "endless" })
        }
    }
}
