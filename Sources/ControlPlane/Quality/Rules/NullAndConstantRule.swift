import AnalyticsCore

/// Columns that are empty, mostly empty, or hold a single value: they carry little information and
/// often hide a broken load.
public struct NullAndConstantRule: QualityRule {
    public var ruleIDs: [String] { ["column.all_null", "column.high_null", "column.constant"] }

    public init() {}

    public func evaluate(_ context: QualityContext) async throws -> [QualityFinding] {
        var findings: [QualityFinding] = []
        for table in context.profile.tables where table.rowCount > 0 {
            for column in table.columns {
                let location = "\(table.qualifiedName).\(column.name)"
                if let nulls = column.nullFraction {
                    if nulls >= 1 {
                        findings.append(
                            QualityFinding(
                                ruleID: "column.all_null",
                                severity: .warning,
                                table: table.qualifiedName,
                                column: column.name,
                                message: "\(location) is empty: every profiled row is NULL.",
                                evidence: ["null_fraction": .double(nulls), "sample_percent": .double(table.samplePercent)]
                            )
                        )
                        continue
                    }
                    if nulls >= context.configuration.highNullFraction {
                        findings.append(
                            QualityFinding(
                                ruleID: "column.high_null",
                                severity: .warning,
                                table: table.qualifiedName,
                                column: column.name,
                                message: "\(location) is \(DateFormatRule.percent(nulls)) NULL.",
                                evidence: [
                                    "null_fraction": .double(nulls), "threshold": .double(context.configuration.highNullFraction),
                                    "sample_percent": .double(table.samplePercent),
                                ]
                            )
                        )
                    }
                }
                if column.distinctEstimate == 1, table.rowCount > 1, (column.nullFraction ?? 0) < 1 {
                    findings.append(
                        QualityFinding(
                            ruleID: "column.constant",
                            severity: .info,
                            table: table.qualifiedName,
                            column: column.name,
                            message: "\(location) holds a single value in every non-null row.",
                            evidence: ["distinct_values": 1, "sample_percent": .double(table.samplePercent)]
                        )
                    )
                }
            }
        }
        return findings
    }
}
