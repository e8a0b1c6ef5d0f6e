/// What checking a weighting config against the live database found.
///
/// ``problems`` make the config unusable (a missing or non-numeric weight column, negative weights,
/// unknown columns, merges of values that never occur); ``warnings`` are worth knowing but do not
/// block (respondents without a weight or with weight 0, declared values no respondent has, raw
/// values the config does not name). ``weights`` summarises the weight column when it could be read.
public struct WeightingValidationReport: Sendable, Hashable {
    /// The weight column at a glance.
    public struct WeightSummary: Sendable, Hashable {
        public var respondents: Int
        public var missing: Int
        public var zero: Int
        public var negative: Int
        public var minimum: Double?
        public var maximum: Double?
        public var sum: Double?

        public init(respondents: Int, missing: Int, zero: Int, negative: Int, minimum: Double?, maximum: Double?, sum: Double?) {
            self.respondents = respondents
            self.missing = missing
            self.zero = zero
            self.negative = negative
            self.minimum = minimum
            self.maximum = maximum
            self.sum = sum
        }
    }

    public var problems: [String]
    public var warnings: [String]
    public var weights: WeightSummary?

    public init(problems: [String] = [], warnings: [String] = [], weights: WeightSummary? = nil) {
        self.problems = problems
        self.warnings = warnings
        self.weights = weights
    }

    public var isValid: Bool { self.problems.isEmpty }

    public var document: JSONValue {
        var object: [String: JSONValue] = [
            "valid": .bool(self.isValid),
            "problems": .array(self.problems.map(JSONValue.string)),
            "warnings": .array(self.warnings.map(JSONValue.string)),
        ]
        if let w = self.weights {
            object["weights"] = .object([
                "respondents": .int(Int64(w.respondents)),
                "missing": .int(Int64(w.missing)),
                "zero": .int(Int64(w.zero)),
                "negative": .int(Int64(w.negative)),
                "minimum": w.minimum.map(JSONValue.double) ?? .null,
                "maximum": w.maximum.map(JSONValue.double) ?? .null,
                "sum": w.sum.map(JSONValue.double) ?? .null,
            ])
        }
        return .object(object)
    }

    /// `INVALID_WEIGHTING_CONFIG` listing the problems (and warnings) in `details`.
    public var error: AnalyticsError {
        let first = self.problems.first ?? "the config does not match the database"
        let more = self.problems.count > 1 ? " (and \(self.problems.count - 1) more problem\(self.problems.count == 2 ? "" : "s"))" : ""
        return AnalyticsError(
            .invalidWeightingConfig,
            "The weighting config does not match the dataset: \(first)\(more).",
            hint: "Fix the listed problems; details.problems has all of them, details.warnings what else was noticed.",
            details: self.document
        )
    }
}
