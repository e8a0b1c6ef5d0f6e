import AnalyticsCore

/// Finds respondent keys, the survey weight, persona dimensions, event times and measures from
/// names and value shapes, and marks them in ``ColumnProfile/roles``.
///
/// The respondent table is the one whose respondent key is unique and that holds the weight (or,
/// without a weight, the most dimension-like columns). Dimensions are low-cardinality text columns
/// of that table; event tables are the other tables that carry the respondent key.
struct RoleClassifier: Sendable {
    /// Most distinct values a persona dimension may have.
    var maximumDimensionValues = 20

    struct Column: Sendable {
        var table: Int
        var index: Int
        var kind: ColumnKind
        var profile: ColumnProfile
    }

    /// The outcome: where respondents, weights and events live.
    struct Classification: Sendable {
        var respondentTable: Int?
        var respondentKey: String?
        var weight: Column?
        var dimensions: [Column] = []
        /// Event table index → its respondent-key column.
        var eventTables: [(table: Int, key: String)] = []
    }

    func classify(_ tables: [(catalog: CatalogTable, profile: TableProfile)]) -> (profiles: [TableProfile], classification: Classification) {
        var profiles = tables.map(\.profile)
        var classification = Classification()
        let columns = tables.enumerated().flatMap { tableIndex, table in
            table.catalog.columns.enumerated().compactMap { index, column -> Column? in
                guard let profile = table.profile.column(named: column.name) else { return nil }
                return Column(table: tableIndex, index: index, kind: column.kind, profile: profile)
            }
        }

        let keys = columns.filter { Self.isRespondentKeyName($0.profile.name) }
        let uniqueKeys = keys.filter { self.isUnique($0, in: tables[$0.table]) }
        let weights = columns.filter { self.weightScore($0, in: tables[$0.table]) > 0 }
            .sorted { self.rank($0, tables: tables, uniqueKeys: uniqueKeys) > self.rank($1, tables: tables, uniqueKeys: uniqueKeys) }
        classification.weight = weights.first

        if let weight = classification.weight, let key = uniqueKeys.first(where: { $0.table == weight.table }) {
            classification.respondentTable = weight.table
            classification.respondentKey = key.profile.name
        } else if let weight = classification.weight, tables[weight.table].catalog.primaryKey.count == 1 {
            classification.respondentTable = weight.table
            classification.respondentKey = tables[weight.table].catalog.primaryKey.first
        } else if let best = uniqueKeys.max(by: { self.dimensionCount($0.table, columns) < self.dimensionCount($1.table, columns) }) {
            classification.respondentTable = best.table
            classification.respondentKey = best.profile.name
        }

        if let respondentTable = classification.respondentTable {
            classification.dimensions = columns.filter { $0.table == respondentTable && self.isDimension($0, in: tables[$0.table]) }
                .sorted { (Self.dimensionHintRank($0.profile.name), $0.index) < (Self.dimensionHintRank($1.profile.name), $1.index) }
            if let key = classification.respondentKey {
                let respondentName = tables[respondentTable].profile.qualifiedName
                for (index, table) in tables.enumerated() where index != respondentTable {
                    let referencing = table.catalog.foreignKeys.first { $0.referencedTable == respondentName && $0.columns.count == 1 }?.columns.first
                    if let column = referencing ?? table.catalog.columns.first(where: { $0.name == key })?.name {
                        classification.eventTables.append((index, column))
                    }
                }
            }
        }

        for column in columns {
            var roles: [ColumnRole] = []
            let table = tables[column.table]
            let isEventTable = classification.eventTables.contains { $0.table == column.table }
            if (column.table == classification.respondentTable && column.profile.name == classification.respondentKey)
                || classification.eventTables.contains(where: { $0.table == column.table && $0.key == column.profile.name })
                || (Self.isRespondentKeyName(column.profile.name) && classification.respondentTable == nil)
            {
                roles.append(.respondentKey)
            }
            if column.table == classification.weight?.table && column.index == classification.weight?.index { roles.append(.weight) }
            if classification.dimensions.contains(where: { $0.table == column.table && $0.index == column.index }) { roles.append(.dimension) }
            if (column.kind.isTemporal || column.profile.dateCoverage != nil) && column.profile.pii == nil
                && (isEventTable || column.table != classification.respondentTable)
            {
                roles.append(.eventTime)
            }
            if roles.isEmpty, self.isMeasure(column, in: table) { roles.append(.measure) }
            profiles[column.table].columns[column.index].roles = roles.map(\.rawValue)
        }
        return (profiles, classification)
    }

    // MARK: Keys

    static let respondentKeyOwners: Set<String> = [
        "respondent", "resp", "panelist", "panellist", "member", "panelmember", "participant", "person", "individual", "household",
        "hh", "user", "customer", "consumer", "case", "interviewee",
    ]

    static func isRespondentKeyName(_ name: String) -> Bool {
        let tokens = NameTokens.split(name)
        if tokens == ["respid"] || tokens == ["respondent"] || tokens == ["caseid"] { return true }
        guard tokens.count >= 2, ["id", "key", "no", "number"].contains(tokens.last ?? "") else { return false }
        return self.respondentKeyOwners.contains(tokens.dropLast().joined())
    }

    private func isUnique(_ column: Column, in table: (catalog: CatalogTable, profile: TableProfile)) -> Bool {
        if table.catalog.primaryKey == [column.profile.name] { return true }
        guard table.profile.rowCount > 0, let distinct = column.profile.distinctEstimate else { return false }
        return distinct >= 0.99 * Double(table.profile.rowCount) && (column.profile.nullFraction ?? 0) == 0
    }

    private func isKeyLike(_ column: Column, in table: (catalog: CatalogTable, profile: TableProfile)) -> Bool {
        let tokens = NameTokens.split(column.profile.name)
        return table.catalog.primaryKey.contains(column.profile.name)
            || table.catalog.foreignKeys.contains { $0.columns.contains(column.profile.name) }
            || ["id", "key", "code"].contains(tokens.last ?? "") || Self.isRespondentKeyName(column.profile.name)
    }

    // MARK: Weights

    static let weightWords: Set<String> = ["weight", "weights", "wt", "wgt", "wght", "weighting", "factor", "expansion", "multiplier", "projection"]

    /// 0 when the column cannot be a weight; higher is likelier.
    func weightScore(_ column: Column, in table: (catalog: CatalogTable, profile: TableProfile)) -> Int {
        guard column.kind.isNumeric, column.profile.pii == nil, !self.isKeyLike(column, in: table) else { return 0 }
        let profile = column.profile
        let named = !Set(NameTokens.split(profile.name)).isDisjoint(with: Self.weightWords)
        // A named weight with bad values is still the weight: the quality rules report the values.
        if !named, let min = profile.min?.doubleValue, min < 0 { return 0 }
        let positive = (profile.min?.doubleValue ?? 0) > 0
        let mean = profile.mean ?? 0
        let nearOne = mean >= 0.8 && mean <= 1.25 && (profile.standardDeviation ?? 0) > 0.01 && (profile.max?.doubleValue ?? 0) > 1
        let median = profile.quantiles?["p50"] ?? 0
        let skewed = median > 0 && (profile.quantiles?["p95"] ?? 0) / median >= 3 && mean > median * 1.2
        let fractional = column.kind != .integer
        if named { return 4 + (positive ? 2 : 0) + (nearOne ? 2 : 0) + (fractional ? 1 : 0) }
        guard positive, fractional else { return 0 }
        if nearOne { return 3 }
        return skewed && Self.isRespondentLevel(table) ? 1 : 0
    }

    private static func isRespondentLevel(_ table: (catalog: CatalogTable, profile: TableProfile)) -> Bool {
        table.catalog.columns.contains { self.isRespondentKeyName($0.name) && table.catalog.primaryKey == [$0.name] }
    }

    private func rank(_ column: Column, tables: [(catalog: CatalogTable, profile: TableProfile)], uniqueKeys: [Column]) -> Int {
        self.weightScore(column, in: tables[column.table]) * 2 + (uniqueKeys.contains { $0.table == column.table } ? 1 : 0)
    }

    // MARK: Dimensions and measures

    static let dimensionHints = [
        "gender", "sex", "age", "nccs", "sec", "region", "zone", "state", "city", "tier", "town", "urban", "rural", "class", "income",
        "education", "occupation", "marital", "religion", "language", "segment", "band", "group",
    ]

    static func dimensionHintRank(_ name: String) -> Int {
        let tokens = NameTokens.split(name)
        return self.dimensionHints.firstIndex { tokens.contains($0) } ?? self.dimensionHints.count
    }

    private func isDimension(_ column: Column, in table: (catalog: CatalogTable, profile: TableProfile)) -> Bool {
        let profile = column.profile
        guard profile.pii == nil, !self.isKeyLike(column, in: table), let distinct = profile.distinctEstimate,
            distinct >= 2, distinct <= Double(self.maximumDimensionValues), profile.topValues.count == Int(distinct),
            (profile.nullFraction ?? 1) < 0.5
        else { return false }
        switch column.kind {
        case .text, .boolean, .untyped: return true
        case .integer: return Self.dimensionHintRank(profile.name) < Self.dimensionHints.count && distinct <= 12
        default: return false
        }
    }

    private func dimensionCount(_ table: Int, _ columns: [Column]) -> Int {
        columns.filter { $0.table == table && ($0.kind == .text || $0.kind == .untyped) && ($0.profile.distinctEstimate ?? 99) <= 20 }.count
    }

    private func isMeasure(_ column: Column, in table: (catalog: CatalogTable, profile: TableProfile)) -> Bool {
        column.kind.isNumeric && column.profile.pii == nil && !self.isKeyLike(column, in: table) && (column.profile.distinctEstimate ?? 0) > 2
    }
}
