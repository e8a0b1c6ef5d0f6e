import AnalyticsCore

/// Text columns that hold dates in more than one format (`2024-03-05` beside `05/03/2024`): every
/// comparison and range filter on them is wrong until they are normalised.
public struct DateFormatRule: QualityRule {
    public var ruleIDs: [String] { ["dates.inconsistent_format"] }

    public init() {}

    public func evaluate(_ context: QualityContext) async throws -> [QualityFinding] {
        context.profile.tables.flatMap { table in
            table.columns.compactMap { column -> QualityFinding? in
                guard let shares = column.dateCoverage?.formatShares else { return nil }
                let seen = shares.filter { $0.value >= context.configuration.minorDateFormatShare }
                guard seen.count >= 2 else { return nil }
                let listed = seen.sorted { $0.value > $1.value }.map { "\($0.key) (\(Self.percent($0.value)))" }.joined(separator: ", ")
                return QualityFinding(
                    ruleID: "dates.inconsistent_format",
                    severity: .warning,
                    table: table.qualifiedName,
                    column: column.name,
                    message: "\(table.qualifiedName).\(column.name) mixes date formats: \(listed). Normalise to YYYY-MM-DD or a date type.",
                    evidence: ["format_shares": .object(seen.mapValues(JSONValue.double))]
                )
            }
        }
    }

    static func percent(_ share: Double) -> String {
        "\((share * 1000).rounded() / 10)%"
    }
}
