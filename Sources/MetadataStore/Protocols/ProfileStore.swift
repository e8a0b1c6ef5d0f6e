import AnalyticsCore
import Foundation

/// Versioned profile snapshots of datasets and the quality findings of each snapshot.
///
/// The profiler writes a new snapshot on every run instead of overwriting the last one, so drift
/// can be measured between any two runs and reviewers can see what changed. Findings belong to
/// the snapshot they were computed from.
public protocol ProfileStore: Sendable {
    /// Stores `profile` as the dataset's next snapshot — version = latest + 1 (1 for the first),
    /// whatever `profile.version` says — together with its findings, in one transaction.
    /// Returns the profile exactly as a later read returns it (version set, `createdAt` at the
    /// store's millisecond precision). Throws `DATASET_NOT_FOUND` for an unknown dataset.
    func saveProfile(_ profile: DatasetProfile, findings: [QualityFinding]) async throws -> DatasetProfile
    /// The dataset's newest snapshot, or `nil` when it was never profiled.
    func latestProfile(datasetID: String) async throws -> DatasetProfile?
    /// One snapshot, or `nil`.
    func profile(datasetID: String, version: Int) async throws -> DatasetProfile?
    /// One line per snapshot, oldest first.
    func profileVersions(datasetID: String) async throws -> [ProfileVersionSummary]
    /// The findings of one snapshot, in the order they were saved; empty when it has none.
    /// Throws `PROFILE_NOT_FOUND` when the snapshot does not exist.
    func qualityFindings(datasetID: String, version: Int) async throws -> [QualityFinding]
    /// Replaces the findings of an existing snapshot (quality rules re-run on the same profile).
    /// Throws `PROFILE_NOT_FOUND` when the snapshot does not exist.
    func replaceQualityFindings(datasetID: String, version: Int, findings: [QualityFinding]) async throws
}
