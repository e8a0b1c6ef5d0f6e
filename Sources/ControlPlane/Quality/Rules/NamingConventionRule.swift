import AnalyticsCore

/// Table and column names that are not plain snake_case or are SQL reserved words: every query
/// must quote them, and LLM-written SQL often forgets to.
public struct NamingConventionRule: QualityRule {
    public var ruleIDs: [String] { ["naming.not_snake_case", "naming.reserved_word"] }

    public init() {}

    /// Words PostgreSQL reserves (they cannot be column or table names unquoted), plus a few
    /// that SQLite and most dialects reserve too.
    static let reservedWords: Set<String> = [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast", "check",
        "collate", "column", "constraint", "create", "current_catalog", "current_date", "current_role", "current_time",
        "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except",
        "false", "fetch", "for", "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into",
        "lateral", "leading", "limit", "localtime", "localtimestamp", "not", "null", "offset", "on", "only", "or", "order",
        "placing", "primary", "references", "returning", "select", "session_user", "some", "symmetric", "table", "then",
        "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "when", "where", "window", "with",
        "join", "left", "right", "inner", "outer", "full", "cross", "natural", "between", "like", "ilike", "is", "isnull",
        "notnull", "overlaps", "similar", "verbose", "authorization", "binary", "freeze", "tablesample",
    ]

    public func evaluate(_ context: QualityContext) async throws -> [QualityFinding] {
        var findings: [QualityFinding] = []
        for table in context.profile.tables {
            findings += self.check(table.name, table: table.qualifiedName, column: nil)
            for column in table.columns {
                findings += self.check(column.name, table: table.qualifiedName, column: column.name)
            }
        }
        return findings
    }

    private func check(_ name: String, table: String, column: String?) -> [QualityFinding] {
        let what = column == nil ? "Table \(table)" : "Column \(table).\(name)"
        var findings: [QualityFinding] = []
        let problems = Self.problems(name)
        if !problems.isEmpty {
            findings.append(
                QualityFinding(
                    ruleID: "naming.not_snake_case",
                    severity: .warning,
                    table: table,
                    column: column,
                    message: "\(what) is not snake_case (\(problems.joined(separator: ", "))); suggested: \(NameTokens.snake(name)).",
                    evidence: ["problems": .array(problems.map(JSONValue.string)), "suggested": .string(NameTokens.snake(name))]
                )
            )
        }
        if Self.reservedWords.contains(name.lowercased()) {
            findings.append(
                QualityFinding(
                    ruleID: "naming.reserved_word",
                    severity: .warning,
                    table: table,
                    column: column,
                    message: "\(what) is the SQL reserved word '\(name.lowercased())'; queries must quote it.",
                    evidence: ["word": .string(name.lowercased())]
                )
            )
        }
        return findings
    }

    /// What keeps `name` from being snake_case: `whitespace`, `upper_case`, `special_characters`,
    /// `leading_digit`, `double_underscore`, `trailing_underscore`.
    static func problems(_ name: String) -> [String] {
        var problems: [String] = []
        if name.contains(where: \.isWhitespace) { problems.append("whitespace") }
        if name.contains(where: \.isUppercase) { problems.append("upper_case") }
        if name.contains(where: { !($0.isLetter || $0.isNumber || $0 == "_" || $0.isWhitespace) || !$0.isASCII }) {
            problems.append("special_characters")
        }
        if name.first?.isNumber == true { problems.append("leading_digit") }
        if name.contains("__") { problems.append("double_underscore") }
        if name.count > 1 && name.hasSuffix("_") { problems.append("trailing_underscore") }
        return problems
    }
}
