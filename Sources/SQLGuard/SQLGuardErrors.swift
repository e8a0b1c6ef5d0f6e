import AnalyticsCore

/// The errors the guard raises, each naming what was found, where, and what to write instead.
enum SQLGuardErrors {
    static func empty() -> AnalyticsError {
        AnalyticsError(
            .sqlEmpty,
            "The SQL text holds no statement (only whitespace, comments or semicolons).",
            hint: "Send one SELECT statement."
        )
    }

    static func nulCharacter() -> AnalyticsError {
        AnalyticsError(
            .sqlParseError,
            "The SQL text contains a NUL character, which PostgreSQL does not accept.",
            hint: "Remove the NUL (\\0) character from the query text."
        )
    }

    static func tooLong(_ length: Int) -> AnalyticsError {
        AnalyticsError(
            .sqlParseError,
            "The SQL text is \(length) bytes long; statements up to \(SQLGuard.maximumLength) bytes are analyzed.",
            hint: "Shorten the statement: aggregate in SQL rather than listing values, or split the work into several queries.",
            details: ["length": .int(Int64(length)), "maximum": .int(Int64(SQLGuard.maximumLength))]
        )
    }

    static func tooDeep() -> AnalyticsError {
        AnalyticsError(
            .sqlParseError,
            "The statement nests too deeply to analyze (its parse tree exceeds \(SQLGuard.maximumDepth) levels).",
            hint: "Simplify long operator chains or deeply nested expressions, e.g. add many columns in a subquery step by step.",
            details: ["maximum_depth": .int(Int64(SQLGuard.maximumDepth))]
        )
    }

    static func parse(_ error: PgQuery.ParserError, _ locations: LocationMapper) -> AnalyticsError {
        var details: [String: JSONValue] = ["parser_message": .string(error.message)]
        var message = "The SQL could not be parsed: \(error.message)"
        if error.cursorPosition > 0 {
            let location = locations.location(characterOffset: error.cursorPosition - 1)
            message += " (at \(location))"
            details.merge(Self.details(location)) { $1 }
        }
        return AnalyticsError(
            .sqlParseError,
            message + ".",
            hint: "Fix the syntax near the reported position; the server speaks PostgreSQL SQL and takes one SELECT per request.",
            details: .object(details)
        )
    }

    static func multipleStatements(_ count: Int, at second: SQLLocation) -> AnalyticsError {
        var details = Self.details(second)
        details["count"] = .int(Int64(count))
        return AnalyticsError(
            .sqlMultipleStatements,
            "The SQL text holds \(count) statements (the second starts at \(second)); exactly one is allowed.",
            hint: "Send one SELECT per request; run_query_plan runs several queries in parallel.",
            details: .object(details)
        )
    }

    static func notReadOnly(_ statement: String, at location: SQLLocation) -> AnalyticsError {
        var details = Self.details(location)
        details["statement"] = .string(statement)
        let hint =
            statement == "SHOW"
            ? "Read a setting with SELECT current_setting('name') instead."
            : "Rewrite it as one SELECT (WITH, VALUES, UNION and EXPLAIN without ANALYZE are fine); nothing can be changed through this server."
        return AnalyticsError(
            .sqlNotReadOnly,
            "Only a read-only SELECT is allowed; found \(statement) at \(location).",
            hint: hint,
            details: .object(details)
        )
    }

    static func explainAnalyze(at location: SQLLocation) -> AnalyticsError {
        var details = Self.details(location)
        details["statement"] = "EXPLAIN ANALYZE"
        return AnalyticsError(
            .sqlNotReadOnly,
            "EXPLAIN with the ANALYZE option runs the statement it explains, which is not allowed (option at \(location)).",
            hint: "Use EXPLAIN without ANALYZE to see the estimated plan; nothing runs then.",
            details: .object(details)
        )
    }

    static func violation(_ violation: Violation, at location: SQLLocation) -> AnalyticsError {
        let code: ErrorCode =
            switch violation.kind {
            case .notReadOnly: .sqlNotReadOnly
            case .forbiddenFunction: .sqlForbiddenFunction
            case .forbiddenRelation: .sqlForbiddenRelation
            }
        var message = violation.message
        if message.hasSuffix(".") { message.removeLast() }
        return AnalyticsError(
            code,
            "\(message) (at \(location)).",
            hint: violation.hint,
            details: .object(violation.details.merging(Self.details(location)) { $1 })
        )
    }

    /// `{"location": offset, "line": …, "column": …}` for the details object.
    static func details(_ location: SQLLocation) -> [String: JSONValue] {
        [
            "location": .int(Int64(location.offset)),
            "line": .int(Int64(location.line)),
            "column": .int(Int64(location.column)),
        ]
    }
}
