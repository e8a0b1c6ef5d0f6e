import AnalyticsCore

/// Statistics the profiler could not compute (a statement timed out or was refused), so reviewers
/// know a missing number is missing.
public struct ProfileCompletenessRule: QualityRule {
    public var ruleIDs: [String] { ["profile.incomplete"] }

    public init() {}

    public func evaluate(_ context: QualityContext) async throws -> [QualityFinding] {
        context.profile.tables.compactMap { table in
            guard let warnings = table.warnings, !warnings.isEmpty else { return nil }
            return QualityFinding(
                ruleID: "profile.incomplete",
                severity: .info,
                table: table.qualifiedName,
                message: "Some statistics of \(table.qualifiedName) are missing: \(warnings.joined(separator: "; ")).",
                evidence: ["failed_steps": .int(Int64(warnings.count))]
            )
        }
    }
}
