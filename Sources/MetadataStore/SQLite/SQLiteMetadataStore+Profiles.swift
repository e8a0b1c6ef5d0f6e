import AnalyticsCore
import Foundation
import GRDB

extension SQLiteMetadataStore {
    public func saveProfile(_ profile: DatasetProfile, findings: [QualityFinding]) async throws -> DatasetProfile {
        try await self.write("save profile") { db in
            let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM datasets WHERE id = ?)", arguments: [profile.datasetID])
            guard exists == true else { throw AnalyticsError.datasetNotFound(profile.datasetID) }
            let latest = try Int.fetchOne(
                db,
                sql: "SELECT COALESCE(MAX(version), 0) FROM dataset_profiles WHERE dataset_id = ?",
                arguments: [profile.datasetID]
            )
            let (stored, json) = try ProfileRules.prepare(profile, version: (latest ?? 0) + 1)
            try db.execute(
                sql: """
                    INSERT INTO dataset_profiles (dataset_id, version, created_at, backend, table_count, duration_seconds, profile)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    stored.datasetID, stored.version, stored.createdAt.sqliteText, stored.backend, stored.tables.count,
                    stored.durationSeconds, json,
                ]
            )
            try Self.insertFindings(db, datasetID: stored.datasetID, version: stored.version, findings)
            return stored
        }
    }

    public func latestProfile(datasetID: String) async throws -> DatasetProfile? {
        try await self.read("read profile") { db in
            try String.fetchOne(
                db,
                sql: "SELECT profile FROM dataset_profiles WHERE dataset_id = ? ORDER BY version DESC LIMIT 1",
                arguments: [datasetID]
            ).map(ProfileRules.decodeProfile)
        }
    }

    public func profile(datasetID: String, version: Int) async throws -> DatasetProfile? {
        try await self.read("read profile") { db in
            try String.fetchOne(
                db,
                sql: "SELECT profile FROM dataset_profiles WHERE dataset_id = ? AND version = ?",
                arguments: [datasetID, version]
            ).map(ProfileRules.decodeProfile)
        }
    }

    public func profileVersions(datasetID: String) async throws -> [ProfileVersionSummary] {
        try await self.read("list profile versions") { db in
            let counts = try Row.fetchAll(
                db,
                sql: "SELECT version, severity, COUNT(*) AS n FROM quality_findings WHERE dataset_id = ? GROUP BY version, severity",
                arguments: [datasetID]
            )
            var perVersion: [Int: [(String, Int)]] = [:]
            for row in counts {
                let sqliteRow = SQLiteRow(row)
                perVersion[try sqliteRow.int("version"), default: []].append((try sqliteRow.string("severity"), try sqliteRow.int("n")))
            }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT version, created_at, backend, table_count, duration_seconds FROM dataset_profiles
                    WHERE dataset_id = ? ORDER BY version
                    """,
                arguments: [datasetID]
            ).map { row in
                let r = SQLiteRow(row)
                let version = try r.int("version")
                return ProfileVersionSummary(
                    datasetID: datasetID,
                    version: version,
                    createdAt: try r.date("created_at"),
                    backend: try r.string("backend"),
                    tableCount: try r.int("table_count"),
                    durationSeconds: try r.double("duration_seconds"),
                    findingCounts: ProfileRules.counts(perVersion[version] ?? [])
                )
            }
        }
    }

    public func qualityFindings(datasetID: String, version: Int) async throws -> [QualityFinding] {
        try await self.read("read quality findings") { db in
            try Self.requireProfile(db, datasetID: datasetID, version: version)
            return try String.fetchAll(
                db,
                sql: "SELECT finding FROM quality_findings WHERE dataset_id = ? AND version = ? ORDER BY position",
                arguments: [datasetID, version]
            ).map(ProfileRules.decodeFinding)
        }
    }

    public func replaceQualityFindings(datasetID: String, version: Int, findings: [QualityFinding]) async throws {
        try await self.write("replace quality findings") { db in
            try Self.requireProfile(db, datasetID: datasetID, version: version)
            try db.execute(sql: "DELETE FROM quality_findings WHERE dataset_id = ? AND version = ?", arguments: [datasetID, version])
            try Self.insertFindings(db, datasetID: datasetID, version: version, findings)
        }
    }

    private static func requireProfile(_ db: Database, datasetID: String, version: Int) throws {
        let exists = try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM dataset_profiles WHERE dataset_id = ? AND version = ?)",
            arguments: [datasetID, version]
        )
        guard exists == true else { throw ProfileRules.notFound(datasetID: datasetID, version: version) }
    }

    private static func insertFindings(_ db: Database, datasetID: String, version: Int, _ findings: [QualityFinding]) throws {
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO quality_findings (dataset_id, version, position, rule_id, severity, table_name, column_name, finding)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        for (position, finding) in findings.enumerated() {
            try insert.execute(
                arguments: [
                    datasetID, version, position, finding.ruleID, finding.severity.rawValue, finding.table, finding.column,
                    try ProfileRules.encode(finding),
                ]
            )
        }
    }
}
