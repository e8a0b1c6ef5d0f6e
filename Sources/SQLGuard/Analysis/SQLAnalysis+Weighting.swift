extension SQLAnalysis {
    /// Aggregates that summarize respondents without their survey weight (DESIGN §5.2, the
    /// `UNWEIGHTED_AGGREGATE` check).
    ///
    /// A query level is checked when its FROM clause reaches `respondentTable` — directly, through a
    /// join, or through a subquery or `WITH` query reading it — and it calls summarizing aggregates
    /// (`count`, `sum`, `avg`, `stddev*`, `var*`, `percentile_*`, `mode`, regressions,
    /// hypothetical ranks; see ``AggregateCall/isSummarizing``). Its summarizing aggregates are
    /// returned unless the level uses the weight:
    /// - a summarizing aggregate reads the weight column (`sum(r.weight * x) / sum(r.weight)`,
    ///   `sum(weight)` next to `count(*)`), qualified by an alias of a FROM item that carries it, or
    ///   unqualified; subqueries and `WITH` queries carry it under the name they output it as
    ///   (`SELECT r.weight AS w …`, `SELECT * …`);
    /// - or the level groups by the weight or outputs it outside any aggregate, i.e. it is a
    ///   per-respondent roll-up whose result is weighted one level up (where, if it is not, that
    ///   level is reported).
    ///
    /// `avg(weight)` alone passes: it reads the weight, and describing the weights themselves is a
    /// legitimate diagnostic, not an estimate that ignores them. Picking aggregates (`min`, `max`,
    /// `bool_and`, `string_agg`, `array_agg`, …) never count. Levels that reach the table only
    /// through `WHERE … IN (SELECT …)` summarize other rows and are not checked. Names match like
    /// ``QualifiedName/matches(_:)`` (a missing schema matches any) and columns exactly (PostgreSQL
    /// folds unquoted names to lower case; pass the weight column as stored).
    public func unweightedAggregates(respondentTable: QualifiedName, weightColumn: String) -> [AggregateCall] {
        var analysis = WeightAnalysis(graph: self.graph, table: respondentTable, weight: weightColumn)
        var found: [AggregateCall] = []
        for level in self.graph.levels where level.kind == .select {
            let summarizing = level.aggregates.filter { self.graph.aggregates[$0].isSummarizing }
            guard !summarizing.isEmpty, analysis.reaches(level.id), !analysis.usesWeight(level) else { continue }
            found += summarizing.map { self.graph.aggregates[$0] }
        }
        return found.sorted { $0.location.offset < $1.location.offset }
    }
}
