/// Follows a respondent table and its weight column through the levels of one statement.
///
/// "Reaches": a level's FROM clause reads the respondent table directly, through a join, or
/// through a subquery or `WITH` query whose own FROM reaches it. "Weight-carrying": a column that
/// is the weight column of a FROM item reaching the table — `r.weight` where `r` is the table,
/// an unqualified `weight`, or an output column of a subquery / `WITH` query that passes the weight
/// up (`SELECT r.weight AS w …`, `SELECT * …`, `r.weight * x AS wx`).
struct WeightAnalysis {
    let graph: QueryGraph
    let table: QualifiedName
    let weight: String
    private var reachMemo: [Int: Bool] = [:]
    private var outputMemo: [Int: Set<String>] = [:]

    init(graph: QueryGraph, table: QualifiedName, weight: String) {
        self.graph = graph
        self.table = table
        self.weight = weight
    }

    mutating func reaches(_ id: Int) -> Bool {
        if let known = self.reachMemo[id] { return known }
        // Provisional answer while a recursive WITH query is followed into itself.
        self.reachMemo[id] = false
        let level = self.graph.levels[id]
        let result: Bool
        switch level.kind {
        case .setOperation(let arms):
            result = arms.contains { self.reaches($0) }
        case .values:
            result = false
        case .select:
            result = self.graph.leafSources(level.sources, throughAliasedJoins: true).contains { self.reaches($0) }
        }
        self.reachMemo[id] = result
        return result
    }

    private mutating func reaches(_ source: QueryLevel.Source) -> Bool {
        if case .relation(let relation) = source.kind { return relation.matches(self.table) }
        return self.graph.level(of: source).map { self.reaches($0) } ?? false
    }

    /// Whether the level uses the weight: in a summarizing aggregate, in GROUP BY, or passed up
    /// through its target list outside any aggregate (a per-respondent roll-up weighted above).
    mutating func usesWeight(_ level: QueryLevel) -> Bool {
        let aggregateColumns = level.aggregates
            .filter { self.graph.aggregates[$0].isSummarizing }
            .flatMap { self.graph.aggregateColumns[$0] }
        let passedUp = level.targets.flatMap(\.bareColumns)
        return aggregateColumns.contains { self.isWeight($0) }
            || level.groupByColumns.contains { self.isWeight($0) }
            || passedUp.contains { self.isWeight($0) }
    }

    /// Whether the column (by walk index) is weight-carrying at its level.
    private mutating func isWeight(_ index: Int) -> Bool {
        let column = self.graph.columns[index]
        guard let name = column.name else { return false }
        guard let alias = column.qualifier.last else {
            if name == self.weight { return true }
            let sources = self.graph.levels[column.queryLevel].sources
            return sources.contains { self.weightNames($0).contains(name) }
        }
        var current: Int? = column.queryLevel
        while let id = current {
            let sources = self.graph.sources(named: alias, in: self.graph.levels[id].sources)
            if !sources.isEmpty { return sources.contains { self.weightNames($0).contains(name) } }
            current = self.graph.levels[id].parent
        }
        return false
    }

    /// Names under which a FROM item offers the weight.
    private mutating func weightNames(_ source: QueryLevel.Source) -> Set<String> {
        switch source.kind {
        case .relation(let relation):
            return relation.matches(self.table) ? [self.weight] : []
        case .join(let members):
            return members.reduce(into: Set<String>()) { $0.formUnion(self.weightNames($1)) }
        case .function:
            return []
        case .subquery, .commonTableExpression:
            return self.graph.level(of: source).map { self.outputWeightNames($0) } ?? []
        }
    }

    /// Output columns of a level that carry the weight.
    private mutating func outputWeightNames(_ id: Int) -> Set<String> {
        if let known = self.outputMemo[id] { return known }
        self.outputMemo[id] = []
        let level = self.graph.levels[id]
        var names: Set<String> = []
        switch level.kind {
        case .setOperation(let arms):
            // Output columns are named by the first arm.
            if let first = arms.first { names = self.outputWeightNames(first) }
        case .values:
            break
        case .select:
            for target in level.targets {
                switch target.star {
                case .all:
                    for source in level.sources { names.formUnion(self.weightNames(source)) }
                case .qualified(let alias):
                    for source in self.graph.sources(named: alias, in: level.sources) {
                        names.formUnion(self.weightNames(source))
                    }
                case nil:
                    if let name = target.name, target.bareColumns.contains(where: { self.isWeight($0) }) {
                        names.insert(name)
                    }
                }
            }
        }
        self.outputMemo[id] = names
        return names
    }
}
