/// One observation of a data-quality rule about a profiled dataset.
///
/// Findings belong to a profile snapshot: reviewers see them during onboarding, the metadata
/// drafter comments on them, and `describe_dataset` shows them as quality notes. `evidence` holds
/// numbers and short texts only — never raw values of columns flagged as personal data.
public struct QualityFinding: Sendable, Codable, Hashable {
    public enum Severity: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
        case info
        case warning
        case error

        var rank: Int {
            switch self {
            case .info: 0
            case .warning: 1
            case .error: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// Stable rule id such as `weight.non_positive`; clients group and filter on it.
    public var ruleID: String
    public var severity: Severity
    /// The table (as ``TableProfile/qualifiedName``) the finding is about; nil for dataset-wide findings.
    public var table: String?
    public var column: String?
    /// One sentence a reviewer can act on.
    public var message: String
    /// Numbers and short texts that back the message, e.g. `{"null_fraction": 0.62}`.
    public var evidence: JSONValue

    public init(ruleID: String, severity: Severity, table: String? = nil, column: String? = nil, message: String, evidence: JSONValue = [:]) {
        self.ruleID = ruleID
        self.severity = severity
        self.table = table
        self.column = column
        self.message = message
        self.evidence = evidence
    }

    enum CodingKeys: String, CodingKey {
        case severity, table, column, message, evidence
        case ruleID = "rule_id"
    }
}
