import AnalyticsCore

extension SQLAnalysis {
    /// Assembles the analysis from a finished walk, adding the fingerprint and normalized text.
    init(
        kind: StatementKind,
        sql: String,
        statementSQL: String,
        parseTree: ParseNode,
        topLevelQuery: ParseObject,
        walker: TreeWalker,
        locations: LocationMapper
    ) throws(AnalyticsError) {
        guard case .success(let fingerprint) = PgQuery.fingerprint(sql),
            case .success(let normalized) = PgQuery.normalize(sql)
        else {
            throw AnalyticsError.internalError("The SQL parser accepted the statement but could not fingerprint it.")
        }
        var graph = QueryGraph(levels: walker.levels, ctes: walker.ctes)
        graph.columns = walker.columns.map { column in
            ColumnReference(
                qualifier: column.qualifier,
                name: column.name,
                location: locations.location(byteOffset: column.byteLocation),
                queryLevel: column.level,
                source: graph.resolve(qualifier: column.qualifier, level: column.level)
            )
        }
        graph.aggregates = walker.aggregates.map { aggregate in
            AggregateCall(
                function: aggregate.function,
                location: locations.location(byteOffset: aggregate.byteLocation),
                queryLevel: aggregate.level,
                isStar: aggregate.isStar,
                columns: aggregate.columns.map { graph.columns[$0] }.sorted { $0.location.offset < $1.location.offset }
            )
        }
        graph.aggregateColumns = walker.aggregates.map(\.columns)

        self.statementKind = kind
        self.statementSQL = statementSQL
        self.fingerprint = fingerprint
        self.normalizedSQL = normalized
        self.relations = Self.unique(walker.relations)
        self.functions = Self.unique(walker.functions)
        self.isAggregated = graph.isAggregated(0)
        (self.hasTopLevelLimit, self.topLevelLimit) = Self.limit(of: topLevelQuery)
        self.aggregateCalls = graph.aggregates.sorted { $0.location.offset < $1.location.offset }
        self.columnReferences = graph.columns.sorted { $0.location.offset < $1.location.offset }
        self.parseTree = parseTree
        self.graph = graph
    }

    private static func unique(_ names: [(name: QualifiedName, byteLocation: Int)]) -> [QualifiedName] {
        var seen: Set<QualifiedName> = []
        return names.sorted { $0.byteLocation < $1.byteLocation }.compactMap { seen.insert($0.name).inserted ? $0.name : nil }
    }

    /// `LIMIT n` / `FETCH FIRST n ROWS ONLY`: present unless `LIMIT ALL` (a null constant); the
    /// value only for an integer literal that bounds the rows (`WITH TIES` may return more).
    private static func limit(of query: ParseObject) -> (Bool, Int64?) {
        guard let (tag, fields) = query["limitCount"]?.tagged else { return (false, nil) }
        guard tag == "A_Const" else { return (true, nil) }
        if fields["isnull"]?.isTrue == true { return (false, nil) }
        guard query["limitOption"]?.stringValue != "LIMIT_OPTION_WITH_TIES" else { return (true, nil) }
        if let integer = fields["ival"] {
            // libpg_query prints the integer 0 as an empty object.
            return (true, integer["ival"]?.integerValue ?? 0)
        }
        // Integers beyond 32 bits arrive as numeric text.
        return (true, fields["fval"]?["fval"]?.stringValue.flatMap { Int64($0) })
    }
}
