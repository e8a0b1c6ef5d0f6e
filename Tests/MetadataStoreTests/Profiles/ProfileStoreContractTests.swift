import AnalyticsCore
import Foundation
import MetadataStore
import TestSupport
import Testing

/// Profile snapshots and their quality findings, run unchanged against SQLite and PostgreSQL.
@Suite("Store contract: profiles")
struct ProfileStoreContractTests {
    static func profile(_ datasetID: String, rows: Int64 = 100, version: Int = 0) -> DatasetProfile {
        DatasetProfile(
            datasetID: datasetID,
            version: version,
            createdAt: Date(timeIntervalSince1970: 1_750_000_000.123456),
            backend: "postgres",
            tables: [
                TableProfile(
                    schema: "public",
                    name: "respondents",
                    kind: .table,
                    comment: "One row per respondent",
                    rowCount: rows,
                    rowCountExact: true,
                    samplePercent: 100,
                    primaryKey: ["respondent_id"],
                    columns: [
                        ColumnProfile(
                            name: "weight",
                            type: "double precision",
                            nullable: false,
                            nullFraction: 0,
                            distinctEstimate: 97,
                            min: .number("0.25"),
                            max: .number("12.50"),
                            topValues: [ValueFrequency(value: 1.5, share: 0.1)],
                            quantiles: ["p50": 1.01],
                            mean: 1,
                            standardDeviation: 0.4,
                            roles: ["weight"]
                        ),
                        ColumnProfile(
                            name: "visit_day",
                            type: "text",
                            dateCoverage: DateCoverage(first: "2024-01-01", last: "2024-12-31", format: "YYYY-MM-DD", formatShares: ["YYYY-MM-DD": 1])
                        ),
                    ],
                    sampleRows: [["weight": .number("1.50"), "visit_day": "2024-01-01"]],
                    warnings: ["top values of weight: timed out"]
                )
            ],
            suggestedWeighting: ["weight_column": "weight", "respondent_table": "respondents"],
            durationSeconds: 1.25
        )
    }

    static let findings = [
        QualityFinding(
            ruleID: "weight.nulls",
            severity: .error,
            table: "respondents",
            column: "weight",
            message: "nulls",
            evidence: ["null_rows": 3]
        ),
        QualityFinding(ruleID: "column.constant", severity: .info, table: "respondents", column: "visit_day", message: "constant"),
        QualityFinding(ruleID: "weight.missing", severity: .warning, message: "none", evidence: ["tables": 1]),
    ]

    @Test("saving assigns versions 1, 2, … and reads back exactly what was returned", arguments: StoreBackend.allCases)
    func versions(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            _ = try await f.store.createDataset(sampleDataset("panel"), secret: sampleSecret(), actor: "admin")
            #expect(try await f.store.latestProfile(datasetID: "panel") == nil)
            #expect(try await f.store.profileVersions(datasetID: "panel").isEmpty)

            let first = try await f.store.saveProfile(Self.profile("panel", version: 41), findings: Self.findings)
            #expect(first.version == 1, "the store assigns the version, whatever the caller sent")
            #expect(first.tables[0].columns[0].min == .double(0.25), "values come back as their JSON reads")
            #expect(try await f.store.latestProfile(datasetID: "panel") == first)
            #expect(try await f.store.profile(datasetID: "panel", version: 1) == first)

            let second = try await f.store.saveProfile(Self.profile("panel", rows: 250), findings: [])
            #expect(second.version == 2)
            #expect(try await f.store.latestProfile(datasetID: "panel") == second)
            #expect(try await f.store.profile(datasetID: "panel", version: 1) == first, "older snapshots stay")
            #expect(try await f.store.profile(datasetID: "panel", version: 3) == nil)
            #expect(try await f.store.profile(datasetID: "other", version: 1) == nil)

            let versions = try await f.store.profileVersions(datasetID: "panel")
            #expect(versions.map(\.version) == [1, 2])
            #expect(versions[0].findingCounts == ["error": 1, "warning": 1, "info": 1])
            #expect(versions[1].findingCounts == [:])
            #expect(versions[0].tableCount == 1)
            #expect(versions[0].backend == "postgres")
            #expect(versions[0].durationSeconds == 1.25)
            #expect(versions[0].createdAt == first.createdAt)
        }
    }

    @Test("findings belong to their snapshot, in order, and can be replaced", arguments: StoreBackend.allCases)
    func findings(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            _ = try await f.store.createDataset(sampleDataset("panel"), secret: sampleSecret(), actor: "admin")
            let first = try await f.store.saveProfile(Self.profile("panel"), findings: Self.findings)
            let second = try await f.store.saveProfile(Self.profile("panel"), findings: [Self.findings[1]])
            #expect(try await f.store.qualityFindings(datasetID: "panel", version: first.version) == Self.findings)
            #expect(try await f.store.qualityFindings(datasetID: "panel", version: second.version) == [Self.findings[1]])

            try await f.store.replaceQualityFindings(datasetID: "panel", version: first.version, findings: [Self.findings[2]])
            #expect(try await f.store.qualityFindings(datasetID: "panel", version: first.version) == [Self.findings[2]])
            try await f.store.replaceQualityFindings(datasetID: "panel", version: second.version, findings: [])
            #expect(try await f.store.qualityFindings(datasetID: "panel", version: second.version) == [])

            await expectError(.profileNotFound) { try await f.store.qualityFindings(datasetID: "panel", version: 9) }
            await expectError(.profileNotFound) {
                try await f.store.replaceQualityFindings(datasetID: "panel", version: 9, findings: Self.findings)
            }
        }
    }

    @Test("saving a snapshot of an unknown dataset is DATASET_NOT_FOUND", arguments: StoreBackend.allCases)
    func unknownDataset(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            await expectError(.datasetNotFound) { try await f.store.saveProfile(Self.profile("ghost"), findings: Self.findings) }
            let latest = try await f.store.latestProfile(datasetID: "ghost")
            #expect(latest == nil)
        }
    }

    @Test("concurrent saves of one dataset get distinct consecutive versions", arguments: StoreBackend.allCases)
    func concurrentSaves(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            _ = try await f.store.createDataset(sampleDataset("panel"), secret: sampleSecret(), actor: "admin")
            let store = f.store
            let versions = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<6 {
                    group.addTask { try await store.saveProfile(Self.profile("panel", rows: Int64(index)), findings: Self.findings).version }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(versions.sorted() == Array(1...6))
            #expect(try await store.profileVersions(datasetID: "panel").map(\.version) == Array(1...6))
        }
    }
}
