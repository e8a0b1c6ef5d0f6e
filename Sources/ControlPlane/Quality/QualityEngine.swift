import AnalyticsCore
import Logging

/// Runs the quality rules over a profile and returns their findings, most severe first.
///
/// A rule whose data check fails (a timeout, a statement the database refuses) does not sink the
/// others: it leaves an `quality.check_failed` info finding naming it. Cancellation and an
/// unavailable dataset end the run.
public struct QualityEngine: Sendable {
    public var rules: [any QualityRule]
    let logger: Logger

    public init(rules: [any QualityRule] = QualityEngine.defaultRules, logger: Logger) {
        self.rules = rules
        self.logger = logger
    }

    /// Every rule, in the order findings are reported within a severity.
    public static let defaultRules: [any QualityRule] = [
        PIIExposureRule(),
        WeightRule(),
        OrphanForeignKeyRule(),
        DuplicateKeyRule(),
        DateFormatRule(),
        NullAndConstantRule(),
        NamingConventionRule(),
        ProfileCompletenessRule(),
    ]

    public func run(_ context: QualityContext) async throws -> [QualityFinding] {
        var findings: [QualityFinding] = []
        for rule in self.rules {
            if Task.isCancelled {
                throw AnalyticsError(.queryCancelled, "The quality checks were cancelled.", hint: "Run them again when the answer is still needed.")
            }
            do {
                findings += try await rule.evaluate(context)
            } catch let error as AnalyticsError where ![.queryCancelled, .datasetUnavailable].contains(error.code) {
                self.logger.warning(
                    "quality rule failed",
                    metadata: ["mcpa.quality.rule": "\(rule.ruleIDs.first ?? "?")", "mcpa.error.code": "\(error.code.rawValue)"]
                )
                findings.append(
                    QualityFinding(
                        ruleID: "quality.check_failed",
                        severity: .info,
                        message: "The check \(rule.ruleIDs.joined(separator: ", ")) could not run: \(error.message)",
                        evidence: ["rules": .array(rule.ruleIDs.map(JSONValue.string)), "code": .string(error.code.rawValue)]
                    )
                )
            }
        }
        // Stable: most severe first, then the rules' own order.
        return findings.enumerated().sorted { ($1.element.severity, $0.offset) < ($0.element.severity, $1.offset) }.map(\.element)
    }
}
