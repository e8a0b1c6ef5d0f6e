import AnalyticsCore

extension TreeWalker {
    static let dataModifyingTags: Set<String> = ["InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"]

    mutating func visitFunctionCall(_ fields: ParseObject, _ context: Context) {
        let parts = fields["funcname"]?.elements.compactMap(\.nameValue) ?? []
        guard let last = parts.last else {
            self.visitFields(fields, context)
            return
        }
        let function = QualifiedName(schema: parts.count >= 2 ? parts[parts.count - 2] : nil, name: last)
        let location = Self.location(fields)
        self.functions.append((function, location))
        self.checkDenied(last, byteLocation: location, context, attributeNotation: false)

        var inner = context
        if let level = context.level, Self.isAggregate(function, fields) {
            let index = self.aggregates.count
            let isStar = fields["agg_star"]?.isTrue ?? false
            self.aggregates.append(Aggregate(function: function, byteLocation: location, level: level, isStar: isStar))
            self.levels[level].aggregates.append(index)
            inner.aggregate = index
        }
        self.visitFields(fields, inner, skipping: ["funcname", "over"])
        // A window's PARTITION BY / ORDER BY are not arguments of any aggregate.
        if let over = fields["over"] { self.visit(over, context) }
    }

    /// An aggregate (not window) call: aggregate-only syntax, or a built-in aggregate's name.
    private static func isAggregate(_ function: QualifiedName, _ fields: ParseObject) -> Bool {
        guard fields["over"] == nil else { return false }
        if fields["agg_star"]?.isTrue == true || fields["agg_distinct"]?.isTrue == true
            || fields["agg_within_group"]?.isTrue == true || fields["agg_filter"] != nil
            || !(fields["agg_order"]?.elements.isEmpty ?? true)
        {
            return true
        }
        guard function.schema == nil || function.schema == "pg_catalog" else { return false }
        return AggregateCatalog.builtIn.contains(function.name)
    }

    /// `(expression).name` may call the function `name` with the expression as its argument.
    mutating func visitIndirection(_ fields: ParseObject, _ context: Context) {
        let argumentLocation = fields["arg"]?.tagged?.fields["location"]?.integerValue.map(Int.init)
        for element in fields["indirection"]?.elements ?? [] {
            if let name = element.nameValue {
                self.checkDenied(name, byteLocation: argumentLocation, context, attributeNotation: true)
            }
        }
        self.visitFields(fields, context)
    }

    private mutating func checkDenied(_ name: String, byteLocation: Int?, _ context: Context, attributeNotation: Bool) {
        guard let rule = self.policy.denial(for: name) else { return }
        let spelling = attributeNotation ? "the function \(name) (called as (…).\(name))" : "the function \(name)"
        self.violations.append(
            Violation(
                kind: .forbiddenFunction,
                byteLocation: byteLocation,
                level: context.level,
                message: "Calling \(spelling) is not allowed: it \(rule.category.rawValue).",
                hint: rule.category.hint,
                details: ["function": .string(name), "category": .string("\(rule.category)")]
            )
        )
    }

    mutating func recordColumn(_ fields: ParseObject, _ context: Context) {
        guard let level = context.level else { return }
        var names: [String] = []
        var isStar = false
        for part in fields["fields"]?.elements ?? [] {
            if let name = part.nameValue {
                names.append(name)
            } else if part.tagged?.tag == "A_Star" {
                isStar = true
            }
        }
        let name = isStar ? nil : names.popLast()
        let index = self.columns.count
        self.columns.append(Column(qualifier: names, name: name, byteLocation: Self.location(fields), level: level))
        if let aggregate = context.aggregate { self.aggregates[aggregate].columns.append(index) }
        if let target = context.target {
            self.levels[level].targets[target].columns.append(index)
            if context.aggregate == nil { self.levels[level].targets[target].bareColumns.append(index) }
        }
        if context.inGroupBy { self.levels[level].groupByColumns.append(index) }
    }

    mutating func recordLocking(_ fields: ParseObject, _ context: Context) {
        let clause =
            switch fields["strength"]?.stringValue {
            case "LCS_FORKEYSHARE": "FOR KEY SHARE"
            case "LCS_FORSHARE": "FOR SHARE"
            case "LCS_FORNOKEYUPDATE": "FOR NO KEY UPDATE"
            default: "FOR UPDATE"
            }
        let lockedRelation = fields["lockedRels"]?.elements.first?.tagged?.fields
        self.violations.append(
            Violation(
                kind: .notReadOnly,
                byteLocation: lockedRelation.map(Self.location),
                level: context.level,
                message: "\(clause) locks the rows it reads, which a read-only query may not do.",
                hint: "Remove the \(clause) clause; a plain SELECT reads the same rows without locking them.",
                details: ["statement": "SELECT", "clause": .string(clause)]
            )
        )
    }

    mutating func recordDataModifying(
        _ tag: String,
        _ fields: ParseObject,
        cteName: String?,
        byteLocation: Int?,
        _ context: Context
    ) {
        let statement = StatementName.describe(tag, fields)
        var details: [String: JSONValue] = ["statement": .string(statement)]
        let message: String
        if let cteName {
            details["cte"] = .string(cteName)
            message = "The WITH query \(cteName) runs \(statement), which changes data."
        } else {
            message = "The query contains \(statement), which changes data."
        }
        self.violations.append(
            Violation(
                kind: .notReadOnly,
                byteLocation: byteLocation ?? fields["relation"]?["location"]?.integerValue.map(Int.init),
                level: context.level,
                message: message,
                hint: "Use only SELECT queries inside WITH; data cannot be changed through this server.",
                details: details
            )
        )
    }

    mutating func recordSelectInto(_ into: ParseNode, _ context: Context) {
        let relation = into["rel"]
        let name = QualifiedName(schema: relation?["schemaname"]?.stringValue, name: relation?["relname"]?.stringValue ?? "")
        self.violations.append(
            Violation(
                kind: .notReadOnly,
                byteLocation: relation?["location"]?.integerValue.map(Int.init) ?? 0,
                level: context.level,
                message: "SELECT … INTO \(name) creates a table, which a read-only query may not do.",
                hint: "Remove the INTO clause; the rows are returned to you and not stored.",
                details: ["statement": "SELECT INTO", "relation": .string(name.description)]
            )
        )
    }
}
