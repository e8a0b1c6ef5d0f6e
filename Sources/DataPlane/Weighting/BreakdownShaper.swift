import AnalyticsCore

/// Turns a breakdown's group sums into ordered rows with estimates, labels and narratives.
struct BreakdownShaper {
    let plan: BreakdownPlan
    let window: ResolvedWindow?

    func result(groups: [GroupAggregate], sql: String, queryID: String, elapsedMs: Double) -> BreakdownResult {
        let config = self.plan.config
        let wording = self.plan.measure.wording(config: config, window: self.window)
        let narrator = NarrativeBuilder(
            measure: self.plan.measure.kind,
            wording: wording,
            minBase: config.minBase,
            cautionBase: config.cautionBase
        )
        let persona = self.plan.segment?.label
        let sorted = groups.sorted { a, b in
            for (index, dimension) in self.plan.by.enumerated() {
                let (x, y) = (a.keys[index], b.keys[index])
                let (rx, ry) = (dimension.rank(of: x), dimension.rank(of: y))
                if rx != ry { return rx < ry }
                if x != y { return (x ?? "") < (y ?? "") }
            }
            return false
        }
        let rows = sorted.map { group in
            let labels = zip(self.plan.by, group.keys).map { dimension, value in dimension.label(for: value) }
            return self.row(
                group,
                dimensions: zip(self.plan.by, group.keys).map { ($0.column, $1) },
                labels: labels,
                segment: NarrativeBuilder.segmentLabel(persona: persona, groups: labels),
                narrator: narrator
            )
        }
        var overall: BreakdownRow?
        if !self.plan.by.isEmpty {
            overall = self.row(
                GroupAggregate.total(groups, keys: []),
                dimensions: [],
                labels: [],
                segment: NarrativeBuilder.segmentLabel(persona: persona, groups: []),
                narrator: narrator
            )
        }
        var warnings: [QueryWarning] = []
        let suppressed = rows.filter(\.estimate.suppressed).count + (overall?.estimate.suppressed == true ? 1 : 0)
        if suppressed > 0 {
            warnings.append(
                QueryWarning(
                    code: "BASE_TOO_SMALL",
                    message: "\(suppressed) row\(suppressed == 1 ? "" : "s") had fewer than \(config.minBase) respondents; values withheld.",
                    hint: "Merge categories, drop a dimension from `by`, or widen the persona or window."
                )
            )
        }
        let cautious = rows.filter { $0.estimate.caution && !$0.estimate.suppressed }.count
        if cautious > 0 {
            warnings.append(
                QueryWarning(
                    code: "SMALL_BASE",
                    message: "\(cautious) row\(cautious == 1 ? "" : "s") rest on fewer than \(config.cautionBase) respondents.",
                    hint: "Report these figures with caution and their intervals."
                )
            )
        }
        return BreakdownResult(
            datasetID: self.plan.datasetID,
            measure: self.plan.measure.kind,
            wording: wording,
            persona: self.plan.segment,
            by: self.plan.by.map(\.column),
            window: self.window,
            minBase: config.minBase,
            cautionBase: config.cautionBase,
            rows: rows,
            overall: overall,
            warnings: warnings,
            sql: sql,
            queryID: queryID,
            elapsedMs: elapsedMs
        )
    }

    func row(
        _ group: GroupAggregate,
        dimensions: [(column: String, value: String?)],
        labels: [String],
        segment: String,
        narrator: NarrativeBuilder
    ) -> BreakdownRow {
        let config = self.plan.config
        let estimate = WeightedStatistics.estimate(self.plan.measure.kind, group, minBase: config.minBase, cautionBase: config.cautionBase)
        return BreakdownRow(
            dimensions: dimensions,
            labels: labels,
            segment: segment,
            estimate: estimate,
            narrative: narrator.narrative(segment: segment, estimate)
        )
    }
}
