import AnalyticsCore
import Foundation

/// Profiles shaped like the profiler's output, for datasets whose tables the tests describe.
enum ProfileFixtures {
    /// A small consumer panel: respondents (with a personal `email` column) and viewing events.
    static func panel(datasetID: String) -> DatasetProfile {
        let respondents = TableProfile(
            schema: "public",
            name: "respondents",
            kind: .table,
            comment: "One row per panel member",
            rowCount: 12_000,
            rowCountExact: true,
            primaryKey: ["respondent_id"],
            columns: [
                ColumnProfile(name: "respondent_id", type: "integer", nullable: false, distinctEstimate: 12_000, roles: ["respondent_key"]),
                ColumnProfile(
                    name: "gender",
                    type: "text",
                    distinctEstimate: 2,
                    topValues: [ValueFrequency(value: "Female", share: 0.51), ValueFrequency(value: "Male", share: 0.49)],
                    roles: ["dimension"]
                ),
                ColumnProfile(
                    name: "city",
                    type: "text",
                    comment: "Home city",
                    distinctEstimate: 40,
                    topValues: [ValueFrequency(value: "Mumbai", share: 0.2), ValueFrequency(value: "Delhi", share: 0.18)],
                    roles: ["dimension"]
                ),
                ColumnProfile(
                    name: "email",
                    type: "text",
                    min: "aaron@example.com",
                    max: "zoe@example.com",
                    topValues: [ValueFrequency(value: "zoe@example.com", share: 0.0001)],
                    pii: "email"
                ),
                ColumnProfile(
                    name: "weight",
                    type: "double precision",
                    nullable: false,
                    min: 0.2,
                    max: 4.8,
                    quantiles: ["p50": 1.0123456],
                    roles: ["weight"]
                ),
            ],
            sampleRows: (1...7).map { i in
                [
                    "respondent_id": .int(Int64(i)), "gender": i % 2 == 0 ? "Female" : "Male", "city": "Mumbai",
                    "email": .string("person\(i)@example.com"), "weight": 1.0,
                ]
            }
        )
        let events = TableProfile(
            schema: "public",
            name: "viewing_events",
            kind: .table,
            comment: "TV viewing sessions",
            rowCount: 4_000_000,
            rowCountExact: false,
            samplePercent: 1,
            foreignKeys: [ForeignKey(columns: ["respondent_id"], referencedTable: "respondents", referencedColumns: ["respondent_id"])],
            columns: [
                ColumnProfile(name: "respondent_id", type: "integer", roles: ["respondent_key"]),
                ColumnProfile(
                    name: "event_time",
                    type: "timestamptz",
                    dateCoverage: DateCoverage(first: "2024-01-01", last: "2024-12-31"),
                    roles: ["event_time"]
                ),
                ColumnProfile(name: "channel", type: "text", topValues: [ValueFrequency(value: "Sports 1", share: 0.3)], roles: ["dimension"]),
                ColumnProfile(name: "minutes", type: "numeric", min: 1, max: 600, roles: ["measure"]),
            ],
            sampleRows: [["respondent_id": 1, "event_time": "2024-03-01T20:00:00Z", "channel": "Sports 1", "minutes": 45]]
        )
        return DatasetProfile(
            datasetID: datasetID,
            version: 1,
            createdAt: Date(timeIntervalSince1970: 1_735_000_000),
            backend: "postgres",
            tables: [respondents, events],
            durationSeconds: 1.5
        )
    }

    /// `tables` tables of `columns` columns each, with statistics on every column.
    static func wide(datasetID: String, tables: Int = 50, columns: Int = 30) -> DatasetProfile {
        let tableProfiles = (1...tables).map { t in
            TableProfile(
                schema: "public",
                name: "survey_wave_table_\(t)",
                kind: .table,
                comment: "Wave \(t) answers with a fairly long comment describing what the table holds",
                rowCount: Int64(t * 10_000),
                rowCountExact: true,
                columns: (1...columns).map { c in
                    ColumnProfile(
                        name: "question_\(t)_\(c)",
                        type: "text",
                        comment: "Answer to question \(c) of wave \(t)",
                        nullFraction: 0.05,
                        distinctEstimate: 12,
                        topValues: (1...5).map { ValueFrequency(value: .string("Answer option \($0)"), share: 0.2) },
                        roles: ["dimension"]
                    )
                },
                sampleRows: (1...5).map { r in
                    Dictionary(uniqueKeysWithValues: (1...columns).map { ("question_\(t)_\($0)", JSONValue.string("A\(r)")) })
                }
            )
        }
        return DatasetProfile(datasetID: datasetID, version: 1, createdAt: Date(), backend: "postgres", tables: tableProfiles, durationSeconds: 9)
    }
}
