import CPgQuery

/// Thin, memory-safe wrappers over the libpg_query C API.
///
/// Every call copies what it needs out of the C result and frees that result before returning, on
/// the success and the error path alike (`defer` right after the call), so no libpg_query memory
/// outlives a wrapper. libpg_query keeps its parser state in thread-local memory contexts, so these
/// functions may be called from any number of threads at once.
enum PgQuery {
    /// A failure reported by the PostgreSQL parser.
    struct ParserError: Error, Sendable, Equatable {
        var message: String
        /// 1-based character position of the error in the input, or 0 when the parser gave none.
        var cursorPosition: Int
    }

    /// The parse tree as libpg_query's JSON text.
    static func parse(_ sql: String) -> Result<String, ParserError> {
        let result = sql.withCString { pg_query_parse($0) }
        defer { pg_query_free_parse_result(result) }
        if let error = result.error { return .failure(ParserError(error.pointee)) }
        guard let tree = result.parse_tree else {
            return .failure(ParserError(message: "the parser returned no tree", cursorPosition: 0))
        }
        return .success(String(cString: tree))
    }

    /// The statement fingerprint as 16 lowercase hex digits: equal for queries that differ only in
    /// constants, comments and whitespace.
    static func fingerprint(_ sql: String) -> Result<String, ParserError> {
        let result = sql.withCString { pg_query_fingerprint($0) }
        defer { pg_query_free_fingerprint_result(result) }
        if let error = result.error { return .failure(ParserError(error.pointee)) }
        guard let text = result.fingerprint_str else {
            return .failure(ParserError(message: "the parser returned no fingerprint", cursorPosition: 0))
        }
        return .success(String(cString: text))
    }

    /// The query with every constant replaced by `$n`.
    static func normalize(_ sql: String) -> Result<String, ParserError> {
        let result = sql.withCString { pg_query_normalize($0) }
        defer { pg_query_free_normalize_result(result) }
        if let error = result.error { return .failure(ParserError(error.pointee)) }
        guard let text = result.normalized_query else {
            return .failure(ParserError(message: "the parser returned no normalized query", cursorPosition: 0))
        }
        return .success(String(cString: text))
    }
}

extension PgQuery.ParserError {
    fileprivate init(_ error: PgQueryError) {
        self.init(
            message: error.message.map { String(cString: $0) } ?? "unknown parser error",
            cursorPosition: Int(error.cursorpos)
        )
    }
}
