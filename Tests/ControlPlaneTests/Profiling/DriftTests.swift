import AnalyticsCore
import ControlPlane
import Foundation
import MetadataStore
import TestSupport
import Testing

/// Drift between profile snapshots: unit checks of the comparison, then real schema and volume
/// changes profiled through the service and stored as consecutive versions.
@Suite("Profile drift")
struct DriftTests {
    static func table(_ name: String, rows: Int64, columns: [ColumnProfile]) -> TableProfile {
        TableProfile(schema: "public", name: name, kind: .table, rowCount: rows, rowCountExact: true, columns: columns)
    }

    static func profile(version: Int, _ tables: [TableProfile]) -> DatasetProfile {
        DatasetProfile(datasetID: "d", version: version, createdAt: Date(), backend: "postgres", tables: tables, durationSeconds: 0)
    }

    @Test("the comparison reports each kind of change once, and nothing for unchanged or small moves")
    func comparison() {
        let before = Self.profile(
            version: 1,
            [
                Self.table(
                    "events",
                    rows: 1_000,
                    columns: [
                        ColumnProfile(name: "id", type: "integer", nullFraction: 0),
                        ColumnProfile(name: "amount", type: "integer", nullFraction: 0.1),
                        ColumnProfile(name: "note", type: "text", nullFraction: 0.5),
                    ]
                ),
                Self.table("gone", rows: 5, columns: []),
                Self.table("steady", rows: 1_000, columns: [ColumnProfile(name: "x", type: "text", nullFraction: 0.2)]),
            ]
        )
        let after = Self.profile(
            version: 2,
            [
                Self.table(
                    "events",
                    rows: 3_000,
                    columns: [
                        ColumnProfile(name: "id", type: "integer", nullFraction: 0),
                        ColumnProfile(name: "amount", type: "numeric(10,2)", nullFraction: 0.45),
                        ColumnProfile(name: "channel", type: "text", nullFraction: 1),
                    ]
                ),
                Self.table("steady", rows: 1_050, columns: [ColumnProfile(name: "x", type: "text", nullFraction: 0.25)]),
                Self.table("fresh", rows: 7, columns: []),
            ]
        )
        let report = DriftDetector().compare(before, after)
        #expect(report.fromVersion == 1 && report.toVersion == 2)
        #expect(report.changes(.tableAdded).map(\.table) == ["fresh"])
        #expect(report.changes(.tableRemoved).map(\.table) == ["gone"])
        #expect(report.changes(.columnAdded).map(\.column) == ["channel"])
        #expect(report.changes(.columnRemoved).map(\.column) == ["note"])
        let retyped = report.changes(.columnRetyped)
        #expect(retyped.map(\.column) == ["amount"])
        #expect(retyped.first?.before == "integer" && retyped.first?.after == "numeric(10,2)")
        #expect(report.changes(.rowVolumeChanged).map(\.table) == ["events"], "+5% on steady is below the 10% threshold")
        #expect(report.changes(.rowVolumeChanged).first?.after == 3_000)
        #expect(report.changes(.nullRateShifted).map(\.column) == ["amount"], "+5 points on steady.x is below the threshold")
        #expect(report.changes.count == 7)

        #expect(!DriftDetector().compare(before, before).hasDrift)
        let strict = DriftDetector(rowVolumeThreshold: 0.01, nullRateThreshold: 0.01).compare(before, after)
        #expect(strict.changes(.rowVolumeChanged).count == 2)
        #expect(strict.changes(.nullRateShifted).count == 2)
    }

    static func setup(_ backend: StoreBackend) -> [String] {
        let rows = (1...1_000).map { i in "(\(i), \(i % 97), 'n\(i % 5)', '\(["North", "South"][i % 2])')" }
        return [
            "CREATE TABLE events (id INTEGER PRIMARY KEY, amount INTEGER, note TEXT, region TEXT)",
            "INSERT INTO events VALUES " + rows.joined(separator: ", "),
        ]
    }

    static func changes(_ backend: StoreBackend) -> [String] {
        // The new rows have no region: its null rate jumps from 0 to 2/3.
        let bulk = (1_001...3_000).map { i in "(\(i), \(i % 89), NULL, 'c\(i % 3)')" }
        let retype =
            backend == .postgres
            ? ["ALTER TABLE events ALTER COLUMN amount TYPE numeric(10,2)"]
            : [
                "CREATE TABLE events_new (id INTEGER PRIMARY KEY, amount NUMERIC(10,2), region TEXT, channel TEXT)",
                "INSERT INTO events_new SELECT id, amount, region, channel FROM events",
                "DROP TABLE events",
                "ALTER TABLE events_new RENAME TO events",
            ]
        return ["ALTER TABLE events ADD COLUMN channel TEXT", "ALTER TABLE events DROP COLUMN note"] + retype
            + ["INSERT INTO events (id, amount, region, channel) VALUES " + bulk.joined(separator: ", ")]
    }

    @Test("ADD COLUMN, DROP COLUMN, a type change and a bulk insert show up as drift between stored versions", arguments: StoreBackend.allCases)
    func realChanges(_ backend: StoreBackend) async throws {
        let storeKind: StoreFixtures.Kind = backend == .postgres ? .sqlite : .postgres
        try await StoreFixtures.withStore(storeKind) { store in
            try await ProfilingFixtures.withDataset(backend, setup: Self.setup(backend)) { dataset in
                try await StoreFixtures.register("panel", kind: backend == .postgres ? .postgres : .sqlite, in: store)
                let service = ProfilingService(
                    store: store,
                    connectors: FixedConnectorProvider(connector: dataset.connector),
                    logger: ProfilingFixtures.logger
                )
                let first = try await service.run(datasetID: "panel", by: StoreFixtures.reviewer)
                #expect(first.profile.version == 1)
                #expect(first.drift == nil, "nothing to compare the first snapshot with")
                let unchanged = try await service.run(datasetID: "panel", by: StoreFixtures.reviewer)
                #expect(unchanged.profile.version == 2)
                #expect(unchanged.drift?.hasDrift == false, "\(unchanged.drift?.changes.map(\.message) ?? [])")

                try await dataset.execute(Self.changes(backend))
                let second = try await service.run(datasetID: "panel", by: StoreFixtures.reviewer)
                #expect(second.profile.version == 3)
                let drift = try #require(second.drift)
                #expect(drift.fromVersion == 2 && drift.toVersion == 3)
                #expect(drift.changes(.columnAdded).map(\.column) == ["channel"])
                #expect(drift.changes(.columnRemoved).map(\.column) == ["note"])
                #expect(drift.changes(.columnRetyped).map(\.column) == ["amount"])
                let volume = try #require(drift.changes(.rowVolumeChanged).first)
                #expect(volume.before == 1_000 && volume.after == 3_000)
                let nulls = drift.changes(.nullRateShifted)
                #expect(nulls.map(\.column) == ["region"], "the bulk rows have no region")
                #expect(nulls.first?.before == 0.0)
                #expect(drift.changes(.tableAdded).isEmpty && drift.changes(.tableRemoved).isEmpty)

                // What the store kept: three versions, each with its findings, readable by a viewer.
                let versions = try await service.versions(datasetID: "panel", by: StoreFixtures.viewer)
                #expect(versions.map(\.version) == [1, 2, 3])
                #expect(try await service.profile(datasetID: "panel", version: 1, by: StoreFixtures.viewer) == first.profile)
                #expect(try await service.profile(datasetID: "panel", version: nil, by: StoreFixtures.viewer) == second.profile)
                let findings = try await service.findings(datasetID: "panel", version: nil, by: StoreFixtures.viewer)
                #expect(findings.version == 3)
                #expect(findings.findings == second.findings)
                let events = try await store.events(after: 0, limit: 100).filter { $0.kind == .datasetProfiled }
                #expect(events.map { $0.payload["version"] } == [1, 2, 3])
            }
        }
    }

    @Test("the service refuses the wrong role, unknown datasets and missing versions with coded errors")
    func badPaths() async throws {
        try await StoreFixtures.withStore(.sqlite) { store in
            try await ProfilingFixtures.withDataset(.sqlite, setup: Self.setup(.sqlite)) { dataset in
                try await StoreFixtures.register("panel", kind: .sqlite, in: store)
                let service = ProfilingService(
                    store: store,
                    connectors: FixedConnectorProvider(connector: dataset.connector),
                    logger: ProfilingFixtures.logger
                )
                await expectError(.accessDenied) { try await service.run(datasetID: "panel", by: StoreFixtures.analyst) }
                #expect(try await store.profileVersions(datasetID: "panel").isEmpty, "a refused run stores nothing")
                await expectError(.datasetNotFound) { try await service.run(datasetID: "nope", by: StoreFixtures.reviewer) }
                await expectError(.profileNotFound) { try await service.profile(datasetID: "panel", version: nil, by: StoreFixtures.viewer) }
                await expectError(.profileNotFound) { try await service.findings(datasetID: "panel", version: nil, by: StoreFixtures.viewer) }
                _ = try await service.run(datasetID: "panel", by: StoreFixtures.reviewer)
                await expectError(.profileNotFound) { try await service.profile(datasetID: "panel", version: 2, by: StoreFixtures.viewer) }
                await expectError(.datasetNotFound) { try await service.versions(datasetID: "nope", by: StoreFixtures.viewer) }
            }
        }
    }
}
