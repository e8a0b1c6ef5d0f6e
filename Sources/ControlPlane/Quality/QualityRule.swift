import AnalyticsCore

/// One data-quality check over a profiled dataset.
///
/// Rules read the profile; those that need to look at data (weights, duplicate keys, orphaned
/// foreign keys) use the context's connector on the same sample the profile was computed on, and
/// skip that part when there is no connector.
public protocol QualityRule: Sendable {
    /// The stable rule ids this rule can report.
    var ruleIDs: [String] { get }
    func evaluate(_ context: QualityContext) async throws -> [QualityFinding]
}
