import AnalyticsCore
import DataPlane
import Foundation
import Logging
import MetadataStore

/// The profiling use cases shared by the REST API, the CLI and (later) the job worker: profile a
/// dataset now, run the quality rules on the result, compare it with the previous snapshot, and
/// store it as the next version; read snapshots and findings back.
public struct ProfilingService: Sendable {
    /// The outcome of one profiling run.
    public struct Run: Sendable, Codable, Hashable {
        public var profile: DatasetProfile
        public var findings: [QualityFinding]
        /// Changes since the previous snapshot; nil for the first.
        public var drift: DriftReport?

        public init(profile: DatasetProfile, findings: [QualityFinding], drift: DriftReport?) {
            self.profile = profile
            self.findings = findings
            self.drift = drift
        }

        /// Writes `"drift": null` for a first snapshot rather than leaving the key out.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.profile, forKey: .profile)
            try container.encode(self.findings, forKey: .findings)
            try container.encode(self.drift, forKey: .drift)
        }

        enum CodingKeys: String, CodingKey {
            case profile, findings, drift
        }
    }

    /// One snapshot's findings.
    public struct Findings: Sendable, Codable, Hashable {
        public var datasetID: String
        public var version: Int
        public var findings: [QualityFinding]
        /// Findings per severity.
        public var counts: [String: Int]

        enum CodingKeys: String, CodingKey {
            case version, findings, counts
            case datasetID = "dataset_id"
        }
    }

    let store: any MetadataStore
    let connectors: any DatasetConnectorProvider
    public var profiler: ProfilerConfiguration
    public var quality: QualityConfiguration
    public var drift: DriftDetector
    let logger: Logger

    public init(
        store: any MetadataStore,
        connectors: any DatasetConnectorProvider,
        profiler: ProfilerConfiguration = ProfilerConfiguration(),
        quality: QualityConfiguration = QualityConfiguration(),
        drift: DriftDetector = DriftDetector(),
        logger: Logger
    ) {
        self.store = store
        self.connectors = connectors
        self.profiler = profiler
        self.quality = quality
        self.drift = drift
        self.logger = logger
    }

    /// Profiles the dataset now and stores the snapshot with its findings (reviewer or admin).
    ///
    /// Throws `ACCESS_DENIED`, `DATASET_NOT_FOUND`, the connector's errors (`DATASET_UNAVAILABLE`,
    /// `QUERY_TIMEOUT` while reading the catalogue), and `QUERY_CANCELLED`.
    public func run(datasetID: String, by principal: Principal, progress: ProfileProgressHandler? = nil) async throws -> Run {
        try principal.require(.editMetadata)
        let dataset = try await self.dataset(datasetID)
        let previous = try await self.store.latestProfile(datasetID: datasetID)
        let (profile, findings) = try await self.connectors.withConnector(for: dataset) { connector in
            let profile = try await DatasetProfiler(configuration: self.profiler, logger: self.logger).profile(connector, progress: progress)
            let context = QualityContext(profile: profile, weighting: dataset.weighting, connector: connector, configuration: self.quality)
            return (profile, try await QualityEngine(logger: self.logger).run(context))
        }
        let stored = try await self.store.saveProfile(profile, findings: findings)
        // Read back, so the caller sees exactly what later reads return (JSON round trip of evidence).
        let storedFindings = try await self.store.qualityFindings(datasetID: datasetID, version: stored.version)
        let drift = previous.map { self.drift.compare($0, stored) }
        _ = try await self.store.appendEvent(
            kind: .datasetProfiled,
            datasetID: datasetID,
            payload: [
                "version": .int(Int64(stored.version)),
                "tables": .int(Int64(stored.tables.count)),
                "findings": .int(Int64(findings.count)),
                "drift_changes": .int(Int64(drift?.changes.count ?? 0)),
                "by": .string(principal.id),
            ]
        )
        self.logger.info(
            "dataset profile stored",
            metadata: ["mcpa.dataset": "\(datasetID)", "mcpa.profile.version": "\(stored.version)", "mcpa.principal": "\(principal.id)"]
        )
        return Run(profile: stored, findings: storedFindings, drift: drift)
    }

    /// The latest snapshot, or one `version`.
    public func profile(datasetID: String, version: Int?, by principal: Principal) async throws -> DatasetProfile {
        try principal.require(.readRegistry)
        _ = try await self.dataset(datasetID)
        if let version {
            guard let profile = try await self.store.profile(datasetID: datasetID, version: version) else {
                throw AnalyticsError(
                    .profileNotFound,
                    "Dataset '\(datasetID)' has no profile version \(version).",
                    hint: "List the versions with GET /api/datasets/\(datasetID)/profile/versions."
                )
            }
            return profile
        }
        guard let profile = try await self.store.latestProfile(datasetID: datasetID) else { throw Self.neverProfiled(datasetID) }
        return profile
    }

    /// Summaries of every snapshot, oldest first.
    public func versions(datasetID: String, by principal: Principal) async throws -> [ProfileVersionSummary] {
        try principal.require(.readRegistry)
        _ = try await self.dataset(datasetID)
        return try await self.store.profileVersions(datasetID: datasetID)
    }

    /// The findings of the latest snapshot, or of `version`.
    public func findings(datasetID: String, version: Int?, by principal: Principal) async throws -> Findings {
        let version = try await self.profile(datasetID: datasetID, version: version, by: principal).version
        let findings = try await self.store.qualityFindings(datasetID: datasetID, version: version)
        let counts = Dictionary(findings.map { ($0.severity.rawValue, 1) }, uniquingKeysWith: +)
        return Findings(datasetID: datasetID, version: version, findings: findings, counts: counts)
    }

    private func dataset(_ id: String) async throws -> Dataset {
        guard let dataset = try await self.store.dataset(id: id) else { throw AnalyticsError.datasetNotFound(id) }
        return dataset
    }

    static func neverProfiled(_ id: String) -> AnalyticsError {
        AnalyticsError(
            .profileNotFound,
            "Dataset '\(id)' has not been profiled yet.",
            hint: "Run the profiler with POST /api/datasets/\(id)/profile (reviewer or admin)."
        )
    }
}

extension ChangeEvent.Kind {
    /// A new profile snapshot was stored.
    public static let datasetProfiled = ChangeEvent.Kind("dataset.profiled")
}
