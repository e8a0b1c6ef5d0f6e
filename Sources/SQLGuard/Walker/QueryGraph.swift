/// The query levels of one statement and the `WITH` queries between them, with the questions the
/// guard and its callers ask of that structure.
struct QueryGraph: Sendable, Hashable {
    var levels: [QueryLevel]
    var ctes: [CommonTable]
    /// Column references by walk order, the numbering levels and aggregates use.
    var columns: [ColumnReference] = []
    /// Aggregate calls by walk order, the numbering levels use.
    var aggregates: [AggregateCall] = []
    /// Walk indexes of the columns each aggregate reads.
    var aggregateColumns: [[Int]] = []

    /// The level a FROM source reads from, when it is a subquery or a `WITH` query.
    func level(of source: QueryLevel.Source) -> Int? {
        switch source.kind {
        case .subquery(let level): level
        case .commonTableExpression(_, let index): self.ctes[index].level
        default: nil
        }
    }

    /// The sources a name can stand for at one level: aliased items by alias; a join without an
    /// alias by its members' names.
    func sources(named alias: String, in sources: [QueryLevel.Source]) -> [QueryLevel.Source] {
        sources.flatMap { source -> [QueryLevel.Source] in
            if let name = source.alias { return name == alias ? [source] : [] }
            if case .join(let members) = source.kind { return self.sources(named: alias, in: members) }
            return []
        }
    }

    /// The FROM items that produce rows, joins flattened into their members. An aliased join
    /// counts as one item for name resolution, which it hides its members from.
    func leafSources(_ sources: [QueryLevel.Source], throughAliasedJoins: Bool = false) -> [QueryLevel.Source] {
        sources.flatMap { source -> [QueryLevel.Source] in
            if case .join(let members) = source.kind, source.alias == nil || throughAliasedJoins {
                return self.leafSources(members, throughAliasedJoins: throughAliasedJoins)
            }
            return [source]
        }
    }

    /// Resolves a column reference through the FROM clauses of its level and the levels around it.
    ///
    /// `alias.column` matches the innermost FROM item visible as `alias` (and `schema.table.column`
    /// an unaliased relation); an unqualified column resolves only when its level reads exactly one
    /// FROM item, or none and the level around it reads exactly one.
    func resolve(qualifier: [String], level: Int) -> ColumnSource? {
        var current: Int? = level
        while let id = current {
            let sources = self.levels[id].sources
            if let alias = qualifier.last {
                let schema = qualifier.count >= 2 ? qualifier[qualifier.count - 2] : nil
                let candidates = self.sources(named: alias, in: sources).filter { source in
                    guard let schema else { return true }
                    if case .relation(let relation) = source.kind { return relation.schema == schema }
                    return false
                }
                if let source = candidates.first { return self.columnSource(source) }
            } else {
                let leaves = self.leafSources(sources)
                if leaves.count == 1 { return self.columnSource(leaves[0]) }
                if leaves.count > 1 { return nil }
            }
            current = self.levels[id].parent
        }
        return nil
    }

    private func columnSource(_ source: QueryLevel.Source) -> ColumnSource {
        switch source.kind {
        case .relation(let relation): .relation(relation)
        case .commonTableExpression(let name, _): .commonTableExpression(name)
        case .subquery: .subquery(alias: source.alias)
        case .function: .function(alias: source.alias)
        case .join: .join(alias: source.alias ?? "")
        }
    }
}
