/// One row of a breakdown: a group (one reported value per `by` dimension, or the overall segment)
/// with its figures, flags and narrative.
public struct BreakdownRow: Sendable, Hashable {
    /// `by` column → reported value (nil for a missing value); empty for the overall row.
    public var dimensions: [(column: String, value: String?)]
    /// Display labels of ``dimensions``, in the same order.
    public var labels: [String]
    /// "Female 25-34 NCCS A in North": who the row describes.
    public var segment: String
    public var estimate: BreakdownEstimate
    public var narrative: String

    public init(dimensions: [(column: String, value: String?)], labels: [String], segment: String, estimate: BreakdownEstimate, narrative: String) {
        self.dimensions = dimensions
        self.labels = labels
        self.segment = segment
        self.estimate = estimate
        self.narrative = narrative
    }

    public static func == (lhs: BreakdownRow, rhs: BreakdownRow) -> Bool {
        lhs.dimensions.map(\.column) == rhs.dimensions.map(\.column) && lhs.dimensions.map(\.value) == rhs.dimensions.map(\.value)
            && lhs.labels == rhs.labels && lhs.segment == rhs.segment && lhs.estimate == rhs.estimate && lhs.narrative == rhs.narrative
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.dimensions.map(\.column))
        hasher.combine(self.dimensions.map(\.value))
        hasher.combine(self.estimate)
        hasher.combine(self.narrative)
    }

    /// `{"dimensions": {col: value}, "labels": {col: label}, "segment", "value", "weighted_base",
    /// "unweighted_n", "effective_n", "weighted_count"?, "interval"?, "suppressed", "caution", "narrative"}`.
    public var document: JSONValue {
        var dimensions: [String: JSONValue] = [:]
        var labels: [String: JSONValue] = [:]
        for (index, entry) in self.dimensions.enumerated() {
            dimensions[entry.column] = entry.value.map(JSONValue.string) ?? .null
            labels[entry.column] = .string(self.labels[index])
        }
        let e = self.estimate
        var object: [String: JSONValue] = [
            "dimensions": .object(dimensions),
            "labels": .object(labels),
            "segment": .string(self.segment),
            "value": e.value.map(JSONValue.double) ?? .null,
            "weighted_base": .double(e.weightedBase),
            "unweighted_n": .int(Int64(e.unweightedN)),
            "effective_n": .double(e.effectiveN),
            "suppressed": .bool(e.suppressed),
            "caution": .bool(e.caution),
            "narrative": .string(self.narrative),
        ]
        if let count = e.weightedCount { object["weighted_count"] = .double(count) }
        if let interval = e.interval {
            object["interval"] = .object([
                "level": 0.95, "margin": .double(interval.margin), "low": .double(interval.low), "high": .double(interval.high),
            ])
        }
        return .object(object)
    }
}
