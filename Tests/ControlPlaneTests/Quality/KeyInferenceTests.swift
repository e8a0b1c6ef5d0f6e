import AnalyticsCore
import Testing

@testable import ControlPlane

/// Which columns the key rules treat as keys, on hand-made profiles.
@Suite("Quality key inference")
struct KeyInferenceTests {
    static func table(_ name: String, rows: Int64 = 1_000, primaryKey: [String] = [], _ columns: [(String, String, Double)]) -> TableProfile {
        TableProfile(
            schema: "public",
            name: name,
            kind: .table,
            rowCount: rows,
            rowCountExact: true,
            primaryKey: primaryKey,
            columns: columns.map { ColumnProfile(name: $0.0, type: $0.1, nullFraction: 0, distinctEstimate: $0.2) }
        )
    }

    @Test("candidate keys: id, <table>_id and near-unique …_id columns, not a repeated respondent key")
    func candidates() {
        let events = Self.table("events", [("respondent_id", "integer", 300), ("event_id", "bigint", 990), ("channel_code", "text", 12)])
        #expect(DuplicateKeyRule.candidates(events) == ["event_id"])
        let visits = Self.table("visits", [("visit_id", "integer", 10), ("id", "integer", 5)])
        #expect(DuplicateKeyRule.candidates(visits) == ["visit_id", "id"], "named keys are checked whatever their distinct count")
    }

    @Test("implied foreign keys: a column named like another table's key, never a bare id")
    func impliedReferences() {
        let profile = DatasetProfile(
            datasetID: "d",
            version: 1,
            createdAt: .init(),
            backend: "postgres",
            tables: [
                Self.table("respondents", primaryKey: ["id"], [("id", "integer", 1_000)]),
                Self.table("households", primaryKey: ["household_code"], [("household_code", "text", 1_000)]),
                Self.table("logs", [("id", "integer", 1_000), ("respondent_id", "integer", 50), ("household_code", "text", 20)]),
                Self.table("mixed", [("respondent_id", "text", 20)]),
            ],
            durationSeconds: 0
        )
        let references = OrphanForeignKeyRule.references(profile)
        #expect(
            references.map { "\($0.table).\($0.columns[0])->\($0.parent).\($0.parentColumns[0])" } == [
                "logs.respondent_id->respondents.id", "logs.household_code->households.household_code",
            ]
        )
        #expect(references.allSatisfy { !$0.declared })
    }
}
