import AnalyticsCore
import Foundation
import PostgresNIO

extension PostgresMetadataStore {
    /// Locks the dataset row first, so two concurrent saves of one dataset get consecutive versions
    /// instead of one of them failing on the primary key.
    public func saveProfile(_ profile: DatasetProfile, findings: [QualityFinding]) async throws -> DatasetProfile {
        try await self.transaction("save profile") { connection in
            let locked = try await connection.firstRow(
                "SELECT 1 AS one FROM datasets WHERE id = \(profile.datasetID) FOR UPDATE",
                logger: self.logger
            )
            guard locked != nil else { throw AnalyticsError.datasetNotFound(profile.datasetID) }
            let latest =
                try await connection.firstRow(
                    "SELECT COALESCE(MAX(version), 0)::int8 AS latest FROM dataset_profiles WHERE dataset_id = \(profile.datasetID)",
                    logger: self.logger
                )?.int("latest") ?? 0
            let (stored, json) = try ProfileRules.prepare(profile, version: latest + 1)
            try await connection.query(
                """
                INSERT INTO dataset_profiles (dataset_id, version, created_at, backend, table_count, duration_seconds, profile)
                VALUES (\(stored.datasetID), \(stored.version), \(stored.createdAt), \(stored.backend), \(stored.tables.count),
                    \(stored.durationSeconds), \(json)::jsonb)
                """,
                logger: self.logger
            )
            try await self.insertFindings(connection, datasetID: stored.datasetID, version: stored.version, findings)
            return stored
        }
    }

    public func latestProfile(datasetID: String) async throws -> DatasetProfile? {
        try await self.connection("read profile") { connection in
            try await connection.firstRow(
                """
                SELECT profile::text AS profile FROM dataset_profiles WHERE dataset_id = \(datasetID)
                ORDER BY version DESC LIMIT 1
                """,
                logger: self.logger
            ).map { try ProfileRules.decodeProfile(try $0.string("profile")) }
        }
    }

    public func profile(datasetID: String, version: Int) async throws -> DatasetProfile? {
        try await self.connection("read profile") { connection in
            try await connection.firstRow(
                "SELECT profile::text AS profile FROM dataset_profiles WHERE dataset_id = \(datasetID) AND version = \(version)",
                logger: self.logger
            ).map { try ProfileRules.decodeProfile(try $0.string("profile")) }
        }
    }

    public func profileVersions(datasetID: String) async throws -> [ProfileVersionSummary] {
        try await self.connection("list profile versions") { connection in
            let counts = try await connection.rows(
                """
                SELECT version, severity, COUNT(*)::int8 AS n FROM quality_findings WHERE dataset_id = \(datasetID)
                GROUP BY version, severity
                """,
                logger: self.logger
            )
            var perVersion: [Int: [(String, Int)]] = [:]
            for row in counts {
                perVersion[try row.int("version"), default: []].append((try row.string("severity"), try row.int("n")))
            }
            return try await connection.rows(
                """
                SELECT version, created_at, backend, table_count, duration_seconds FROM dataset_profiles
                WHERE dataset_id = \(datasetID) ORDER BY version
                """,
                logger: self.logger
            ).map { row in
                let version = try row.int("version")
                return ProfileVersionSummary(
                    datasetID: datasetID,
                    version: version,
                    createdAt: try row.date("created_at"),
                    backend: try row.string("backend"),
                    tableCount: try row.int("table_count"),
                    durationSeconds: try row.double("duration_seconds"),
                    findingCounts: ProfileRules.counts(perVersion[version] ?? [])
                )
            }
        }
    }

    public func qualityFindings(datasetID: String, version: Int) async throws -> [QualityFinding] {
        try await self.connection("read quality findings") { connection in
            try await self.requireProfile(connection, datasetID: datasetID, version: version)
            return try await connection.rows(
                """
                SELECT finding::text AS finding FROM quality_findings
                WHERE dataset_id = \(datasetID) AND version = \(version) ORDER BY position
                """,
                logger: self.logger
            ).map { try ProfileRules.decodeFinding(try $0.string("finding")) }
        }
    }

    public func replaceQualityFindings(datasetID: String, version: Int, findings: [QualityFinding]) async throws {
        try await self.transaction("replace quality findings") { connection in
            try await self.requireProfile(connection, datasetID: datasetID, version: version)
            try await connection.query(
                "DELETE FROM quality_findings WHERE dataset_id = \(datasetID) AND version = \(version)",
                logger: self.logger
            )
            try await self.insertFindings(connection, datasetID: datasetID, version: version, findings)
        }
    }

    private func requireProfile(_ connection: PostgresConnection, datasetID: String, version: Int) async throws {
        let row = try await connection.firstRow(
            "SELECT 1 AS one FROM dataset_profiles WHERE dataset_id = \(datasetID) AND version = \(version)",
            logger: self.logger
        )
        guard row != nil else { throw ProfileRules.notFound(datasetID: datasetID, version: version) }
    }

    private func insertFindings(_ connection: PostgresConnection, datasetID: String, version: Int, _ findings: [QualityFinding]) async throws {
        for (position, finding) in findings.enumerated() {
            try await connection.query(
                """
                INSERT INTO quality_findings (dataset_id, version, position, rule_id, severity, table_name, column_name, finding)
                VALUES (\(datasetID), \(version), \(position), \(finding.ruleID), \(finding.severity.rawValue), \(finding.table),
                    \(finding.column), \(try ProfileRules.encode(finding))::jsonb)
                """,
                logger: self.logger
            )
        }
    }
}
