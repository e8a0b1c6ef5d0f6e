extension QueryGraph {
    /// Whether a level returns summaries rather than rows of the tables it reads.
    ///
    /// The rule: a level is aggregated when it has `GROUP BY` (including grouping sets), `HAVING`,
    /// plain `DISTINCT`, or an aggregate call of its own anywhere (target list, `HAVING`,
    /// `ORDER BY`; `SELECT count(*) FROM t` is aggregated). A set operation is aggregated when
    /// every arm is. A level without any of that is aggregated when it reads at least one FROM
    /// item and every item is a subquery or `WITH` query that is itself aggregated (a projection,
    /// filter or join over summaries). Window functions alone, `DISTINCT ON` (one whole row per
    /// key), `VALUES`, set-returning functions and a query without FROM are not aggregated;
    /// neither is a level whose only aggregates sit in scalar subqueries, since those belong to the
    /// subqueries' own levels.
    func isAggregated(_ id: Int) -> Bool {
        self.isAggregated(id, visiting: [])
    }

    private func isAggregated(_ id: Int, visiting: Set<Int>) -> Bool {
        // A recursive WITH query reading itself proves nothing about itself.
        guard !visiting.contains(id) else { return false }
        let visiting = visiting.union([id])
        let level = self.levels[id]
        switch level.kind {
        case .setOperation(let arms):
            return !arms.isEmpty && arms.allSatisfy { self.isAggregated($0, visiting: visiting) }
        case .values:
            return false
        case .select:
            if level.hasGroupBy || level.hasHaving || level.hasDistinct || !level.aggregates.isEmpty { return true }
            let leaves = self.leafSources(level.sources, throughAliasedJoins: true)
            return !leaves.isEmpty
                && leaves.allSatisfy { source in
                    self.level(of: source).map { self.isAggregated($0, visiting: visiting) } ?? false
                }
        }
    }
}
