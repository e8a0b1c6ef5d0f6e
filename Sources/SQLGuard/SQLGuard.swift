import AnalyticsCore

/// Decides whether a SQL text may run on a dataset, using PostgreSQL's own parser (libpg_query).
///
/// The guard is the first of the layers in DESIGN §5.1: it accepts exactly one read-only query — a
/// `SELECT` (with `WITH`, `VALUES`, set operations) or an `EXPLAIN` of one without `ANALYZE` — that
/// takes no row locks, creates nothing (`SELECT … INTO`), modifies nothing inside `WITH`, and calls
/// no function on the ``FunctionPolicy`` deny list anywhere in its tree. Everything else is refused
/// with a coded ``AnalyticsError`` that says what was found, where, and what to write instead.
/// Accepted statements come back as an ``SQLAnalysis`` that the executor, cache, query log and
/// weighting checks reuse, so the text is parsed once per request.
///
/// The guard is a value; libpg_query keeps its state per thread, so one guard may analyze from
/// any number of tasks at once.
public struct SQLGuard: Sendable {
    public var policy: FunctionPolicy

    public init(policy: FunctionPolicy = .default) {
        self.policy = policy
    }

    /// The longest statement analyzed, in UTF-8 bytes; longer text is refused unparsed.
    public static let maximumLength = 256 * 1024

    /// Statements up to this many bytes are parsed on the caller's thread; longer ones on a
    /// thread with a stack big enough for the deepest tree they can hold (see `LargeStack`).
    #if os(Linux)
    public static let inlineLength = 8 * 1024
    #else
    // Secondary threads elsewhere (Darwin) may have 512 KiB stacks.
    public static let inlineLength = 1024
    #endif

    /// Parse-tree nesting (JSON objects and arrays) the guard follows; about two levels per
    /// operator in a chain like `a + b + c`, so legitimate SQL stays far below it.
    public static let maximumDepth = 2_000

    /// Parses and checks one statement, returning what the rest of the server needs to know
    /// about it, or the reason it may not run.
    ///
    /// Refusals, in the order they are checked: `SQL_PARSE_ERROR` (too long, NUL character,
    /// syntax, nesting beyond ``maximumDepth``), `SQL_EMPTY` (nothing but whitespace, comments or
    /// semicolons), `SQL_MULTIPLE_STATEMENTS`, `SQL_NOT_READ_ONLY` (any statement but a query or
    /// `EXPLAIN` of one — `SHOW` too, which reads but is no query: `current_setting()` is the
    /// allowed form; `EXPLAIN` with any `ANALYZE` option, even `ANALYZE false`; `SELECT … INTO`;
    /// locking clauses; data-modifying `WITH` queries), then `SQL_FORBIDDEN_FUNCTION`, then
    /// `SQL_FORBIDDEN_RELATION` (``RelationPolicy``: catalogs holding secrets, server files or other
    /// sessions' statements). When a
    /// statement breaks several rules, changes to data are reported before forbidden calls, and
    /// the earliest in the text first.
    public func analyze(_ sql: String) throws(AnalyticsError) -> SQLAnalysis {
        let length = sql.utf8.count
        guard length <= Self.maximumLength else { throw SQLGuardErrors.tooLong(length) }
        guard length > Self.inlineLength else { return try self.analyzeHere(sql) }
        let result = LargeStack.run { () -> Result<SQLAnalysis, AnalyticsError> in
            do throws(AnalyticsError) {
                return .success(try self.analyzeHere(sql))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private func analyzeHere(_ sql: String) throws(AnalyticsError) -> SQLAnalysis {
        // PostgreSQL ends a query string at NUL; text after one would be checked by nobody.
        guard !sql.utf8.contains(0) else { throw SQLGuardErrors.nulCharacter() }
        let locations = LocationMapper(sql)
        let tree = try Self.parse(sql, locations)

        let statements = tree["stmts"]?.elements ?? []
        guard let statement = statements.first else { throw SQLGuardErrors.empty() }
        guard statements.count == 1 else {
            // The parser starts the second statement right after the first one's semicolon.
            var second = Int(statements[1]["stmt_location"]?.integerValue ?? 0)
            let bytes = Array(sql.utf8)
            while second < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[second]) { second += 1 }
            throw SQLGuardErrors.multipleStatements(statements.count, at: locations.location(byteOffset: second))
        }
        let start = locations.location(byteOffset: Int(statement["stmt_location"]?.integerValue ?? 0))
        guard let node = statement["stmt"], let (tag, fields) = node.tagged else { throw SQLGuardErrors.empty() }

        let kind: StatementKind
        let query: ParseObject
        switch tag {
        case "SelectStmt":
            kind = .select
            query = fields
        case "ExplainStmt":
            kind = .explain
            query = try Self.explainedQuery(fields, start: start, locations)
        default:
            throw SQLGuardErrors.notReadOnly(StatementName.describe(tag, fields), at: start)
        }

        var walker = TreeWalker(policy: self.policy)
        _ = walker.visitSelect(query, TreeWalker.Context(level: nil))
        if let violation = walker.firstViolation {
            let location = walker.byteLocation(of: violation).map(locations.location(byteOffset:)) ?? start
            throw SQLGuardErrors.violation(violation, at: location)
        }
        return try SQLAnalysis(
            kind: kind,
            sql: sql,
            statementSQL: Self.statementText(sql, statement),
            parseTree: node,
            topLevelQuery: query,
            walker: walker,
            locations: locations
        )
    }

    /// The text from the start to the end of the single statement (`stmt_len` is 0 when the
    /// statement runs to the end of the text).
    private static func statementText(_ sql: String, _ statement: ParseNode) -> String {
        let location = Int(statement["stmt_location"]?.integerValue ?? 0)
        let length = Int(statement["stmt_len"]?.integerValue ?? 0)
        let bytes = Array(sql.utf8)
        guard length > 0, location >= 0, location + length < bytes.count else { return sql }
        return String(decoding: bytes[0..<(location + length)], as: UTF8.self)
    }

    private static func parse(_ sql: String, _ locations: LocationMapper) throws(AnalyticsError) -> ParseNode {
        let json: String
        switch PgQuery.parse(sql) {
        case .success(let text): json = text
        case .failure(let error): throw SQLGuardErrors.parse(error, locations)
        }
        do throws(ParseTreeReader.Failure) {
            return try ParseTreeReader.read(json, maximumDepth: Self.maximumDepth)
        } catch .tooDeep {
            throw SQLGuardErrors.tooDeep()
        } catch {
            throw AnalyticsError.internalError("The SQL parser's output could not be read.")
        }
    }

    /// `EXPLAIN` is allowed for a `SELECT` without the `ANALYZE` option (which would run it).
    private static func explainedQuery(
        _ fields: ParseObject,
        start: SQLLocation,
        _ locations: LocationMapper
    ) throws(AnalyticsError) -> ParseObject {
        for option in fields["options"]?.elements ?? [] {
            guard let (_, definition) = option.tagged, definition["defname"]?.stringValue?.lowercased() == "analyze" else {
                continue
            }
            throw SQLGuardErrors.explainAnalyze(at: locations.location(byteOffset: TreeWalker.location(definition)))
        }
        guard let (tag, query) = fields["query"]?.tagged else { throw SQLGuardErrors.notReadOnly("EXPLAIN", at: start) }
        guard tag == "SelectStmt" else {
            throw SQLGuardErrors.notReadOnly("EXPLAIN " + StatementName.describe(tag, query), at: start)
        }
        return query
    }
}
