extension TreeWalker {
    /// Fields of a `SelectStmt` this method walks itself; any other field is walked generically.
    private static let selectFields: Set<String> = [
        "withClause", "op", "larg", "rarg", "fromClause", "valuesLists", "targetList", "groupClause", "havingClause",
        "distinctClause", "intoClause",
    ]

    /// Walks one query level and returns its number.
    mutating func visitSelect(_ fields: ParseObject, _ outer: Context) -> Int {
        let id = self.levels.count
        self.levels.append(QueryLevel(id: id, parent: outer.level))
        var context = Context(level: id, scope: outer.scope)

        if let with = fields["withClause"] {
            context.scope = self.visitWith(with, context)
        }
        if let operation = fields["op"]?.stringValue, operation != "SETOP_NONE" {
            // The arms are embedded without a tag.
            var arms: [Int] = []
            for key in ["larg", "rarg"] {
                if case .object(let arm) = fields[key] { arms.append(self.visitSelect(arm, context)) }
            }
            self.levels[id].kind = .setOperation(arms: arms)
        }
        for item in fields["fromClause"]?.elements ?? [] {
            let source = self.visitFromItem(item, context)
            self.levels[id].sources.append(source)
        }
        if let values = fields["valuesLists"] {
            self.levels[id].kind = .values
            self.visit(values, context)
        }
        for entry in fields["targetList"]?.elements ?? [] {
            self.visitTarget(entry, context)
        }
        if let group = fields["groupClause"] {
            self.levels[id].hasGroupBy = !group.elements.isEmpty
            var grouping = context
            grouping.inGroupBy = true
            self.visit(group, grouping)
        }
        if let having = fields["havingClause"] {
            self.levels[id].hasHaving = true
            self.visit(having, context)
        }
        if let distinct = fields["distinctClause"] {
            // Plain DISTINCT is a list holding one empty node; DISTINCT ON lists its expressions.
            self.levels[id].hasDistinct = distinct.elements.allSatisfy(\.isEmptyObject)
            self.visit(distinct, context)
        }
        if let into = fields["intoClause"] {
            self.recordSelectInto(into, context)
        }
        self.visitFields(fields, context, skipping: Self.selectFields)
        return id
    }

    private mutating func visitTarget(_ entry: ParseNode, _ context: Context) {
        guard let level = context.level, let (tag, fields) = entry.tagged, tag == "ResTarget" else {
            self.visit(entry, context)
            return
        }
        self.noteLocation(fields, context)
        var target = QueryLevel.Target(name: fields["name"]?.stringValue)
        if let (valueTag, value) = fields["val"]?.tagged, valueTag == "ColumnRef" {
            let parts = value["fields"]?.elements ?? []
            if parts.last?.tagged?.tag == "A_Star" {
                target.star = parts.count >= 2 ? parts[parts.count - 2].nameValue.map { .qualified($0) } : .all
            } else if target.name == nil {
                target.name = parts.last?.nameValue
            }
        }
        self.levels[level].targets.append(target)
        var inner = context
        inner.target = self.levels[level].targets.count - 1
        if let value = fields["val"] { self.visit(value, inner) }
        self.visitFields(fields, context, skipping: ["val"])
    }

    /// Walks a `WITH` clause and returns the names visible to the query that owns it.
    private mutating func visitWith(_ with: ParseNode, _ context: Context) -> [String: Int] {
        var scope = context.scope
        let recursive = with["recursive"]?.isTrue ?? false
        let entries: [ParseObject] = (with["ctes"]?.elements ?? []).compactMap {
            guard let (tag, fields) = $0.tagged, tag == "CommonTableExpr" else { return nil }
            return fields
        }
        var indexes: [Int] = []
        for entry in entries {
            let name = entry["ctename"]?.stringValue ?? ""
            indexes.append(self.ctes.count)
            self.ctes.append(CommonTable(name: name, level: nil))
            if recursive { scope[name] = self.ctes.count - 1 }
        }
        // A WITH query is not correlated with the query that owns it: its outer level is the owner's.
        var inner = context
        inner.level = context.level.flatMap { self.levels[$0].parent }
        for (entry, index) in zip(entries, indexes) {
            inner.scope = scope
            let name = self.ctes[index].name
            if let query = entry["ctequery"], let (tag, fields) = query.tagged {
                if tag == "SelectStmt" {
                    self.ctes[index].level = self.visitSelect(fields, inner)
                } else if Self.dataModifyingTags.contains(tag) {
                    self.recordDataModifying(tag, fields, cteName: name, byteLocation: Self.location(entry), context)
                } else {
                    self.visit(query, inner)
                }
            }
            if !recursive { scope[name] = index }
        }
        return scope
    }

    /// Walks an item of a FROM clause and returns it as a source of the level.
    private mutating func visitFromItem(_ node: ParseNode, _ context: Context) -> QueryLevel.Source {
        guard let (tag, fields) = node.tagged else {
            self.visit(node, context)
            return QueryLevel.Source(alias: nil, kind: .function)
        }
        self.noteLocation(fields, context)
        let alias = fields["alias"]?["aliasname"]?.stringValue
        switch tag {
        case "RangeVar":
            let name = fields["relname"]?.stringValue ?? ""
            let schema = fields["schemaname"]?.stringValue
            if schema == nil, let index = context.scope[name] {
                return QueryLevel.Source(alias: alias ?? name, kind: .commonTableExpression(name: name, index: index))
            }
            let relation = QualifiedName(schema: schema, name: name)
            self.relations.append((relation, Self.location(fields)))
            if let category = self.relationPolicy.denial(for: relation) {
                self.violations.append(
                    Violation(
                        kind: .forbiddenRelation,
                        byteLocation: Self.location(fields),
                        level: context.level,
                        message: "Reading \(relation) is not allowed: it \(category.rawValue).",
                        hint: category.hint,
                        details: ["relation": .string("\(relation)"), "category": .string("\(category)")]
                    )
                )
            }
            return QueryLevel.Source(alias: alias ?? name, kind: .relation(relation))
        case "RangeSubselect":
            guard let subquery = fields["subquery"], let (subTag, subFields) = subquery.tagged, subTag == "SelectStmt" else {
                self.visitFields(fields, context)
                return QueryLevel.Source(alias: alias, kind: .function)
            }
            return QueryLevel.Source(alias: alias, kind: .subquery(level: self.visitSelect(subFields, context)))
        case "JoinExpr":
            let left = self.visitFromItem(fields["larg"] ?? .null, context)
            let right = self.visitFromItem(fields["rarg"] ?? .null, context)
            self.visitFields(fields, context, skipping: ["larg", "rarg"])
            return QueryLevel.Source(alias: alias, kind: .join([left, right]))
        case "RangeTableSample":
            let sampled = self.visitFromItem(fields["relation"] ?? .null, context)
            self.visitFields(fields, context, skipping: ["relation"])
            return sampled
        default:
            // RangeFunction, ROWS FROM, XMLTABLE: their calls are walked like any other.
            self.visitFields(fields, context)
            return QueryLevel.Source(alias: alias, kind: .function)
        }
    }
}
