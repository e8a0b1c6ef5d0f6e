import AnalyticsCore

/// Columns the profiler flagged as personal data: analysts should not see them, so reviewers must
/// drop, hash or restrict them before the dataset goes live. Evidence is the kind, never a value.
public struct PIIExposureRule: QualityRule {
    public var ruleIDs: [String] { ["pii.exposure"] }

    public init() {}

    public func evaluate(_ context: QualityContext) async throws -> [QualityFinding] {
        context.profile.tables.flatMap { table in
            table.columns.compactMap { column -> QualityFinding? in
                guard let kind = column.pii else { return nil }
                return QualityFinding(
                    ruleID: "pii.exposure",
                    severity: .warning,
                    table: table.qualifiedName,
                    column: column.name,
                    message: "\(table.qualifiedName).\(column.name) looks like personal data (\(kind)); its values are masked in the profile. "
                        + "Drop, hash or restrict it before analysts can query it.",
                    evidence: ["kind": .string(kind)]
                )
            }
        }
    }
}
