import AnalyticsCore
import Foundation
import GRDB
import GRDBSQLite

/// Prepares, checks, binds and steps one caller statement on a read-only SQLite connection.
///
/// Values map by storage class: INTEGER → integer, REAL → number (±infinity as the strings
/// `Infinity`/`-Infinity`), TEXT → string, BLOB → base64 string, NULL → null. Column types are the
/// declared types, lowercased (`integer`, `real`, `varchar(20)`); an expression column has none and
/// is reported by the storage class of its first non-null value (`integer`, `real`, `text`,
/// `blob`), or `unknown` when every value is null.
struct SQLiteStatementRunner {
    struct Interrupted: Error {}

    let policy: SQLiteReadPolicy

    func run(_ db: Database, sql: String, binds: [JSONValue], maxRows: Int) throws -> RawRows {
        guard let connection = db.sqliteConnection else { throw Interrupted() }
        self.policy.isGuarding = true
        self.policy.denied = nil
        defer {
            self.policy.isGuarding = false
            self.policy.denied = nil
        }
        return try sql.withCString { text -> RawRows in
            var prepared: OpaquePointer?
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(connection, text, -1, 0, &prepared, &tail)
            guard code == SQLITE_OK else { throw self.prepareError(code, connection) }
            guard let statement = prepared else {
                throw AnalyticsError(.sqlEmpty, "The query is empty.", hint: "Send one SELECT statement.")
            }
            defer { sqlite3_finalize(statement) }
            try Self.checkNothingFollows(tail, connection)
            guard sqlite3_stmt_readonly(statement) != 0 else {
                throw AnalyticsError(
                    .sqlNotReadOnly,
                    "The statement would change the database; SQLite datasets are read-only.",
                    hint: "Only read-only SELECT statements can run."
                )
            }
            try Self.bind(binds, to: statement)
            return try self.read(statement, connection, maxRows: maxRows)
        }
    }

    private func read(_ statement: OpaquePointer, _ connection: OpaquePointer, maxRows: Int) throws -> RawRows {
        let columnCount = Int(sqlite3_column_count(statement))
        let names = (0..<columnCount).map { String(cString: sqlite3_column_name(statement, Int32($0))) }
        var declared = (0..<columnCount).map { index -> String? in
            sqlite3_column_decltype(statement, Int32(index)).map { String(cString: $0).lowercased() }
        }
        var rows: [[JSONValue]] = []
        var truncated = false
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                if code == SQLITE_INTERRUPT { throw Interrupted() }
                throw self.stepError(code, connection)
            }
            if rows.count == maxRows {
                truncated = true
                break
            }
            var row: [JSONValue] = []
            row.reserveCapacity(columnCount)
            for index in 0..<columnCount {
                let (value, storage) = Self.value(statement, Int32(index))
                if declared[index] == nil, let storage { declared[index] = storage }
                row.append(value)
            }
            rows.append(row)
        }
        let columns = zip(names, declared).map { ColumnInfo(name: $0, type: $1 ?? "unknown") }
        return RawRows(columns: columns, rows: rows, truncated: truncated)
    }

    /// The value at `index` and, when it is not NULL, its storage class name.
    static func value(_ statement: OpaquePointer, _ index: Int32) -> (JSONValue, String?) {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER:
            return (.int(sqlite3_column_int64(statement, index)), "integer")
        case SQLITE_FLOAT:
            let double = sqlite3_column_double(statement, index)
            return (double.isFinite ? .double(double) : .string(double > 0 ? "Infinity" : "-Infinity"), "real")
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard let bytes = sqlite3_column_text(statement, index) else { return (.string(""), "text") }
            return (.string(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)), "text")
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard count > 0, let bytes = sqlite3_column_blob(statement, index) else { return (.string(""), "blob") }
            return (.string(Data(bytes: bytes, count: count).base64EncodedString()), "blob")
        default:
            return (.null, nil)
        }
    }

    /// Binds `$1…` placeholders; any other placeholder style, or a count mismatch, is refused.
    static func bind(_ values: [JSONValue], to statement: OpaquePointer) throws {
        let count = Int(sqlite3_bind_parameter_count(statement))
        var highest = 0
        for index in stride(from: 1, through: count, by: 1) {
            guard let raw = sqlite3_bind_parameter_name(statement, Int32(index)), String(cString: raw).hasPrefix("$"),
                let number = Int(String(cString: raw).dropFirst()), number >= 1
            else {
                throw AnalyticsError.invalidRequest(
                    "Only $1, $2, … placeholders are supported.",
                    hint: "Write parameters as in PostgreSQL: WHERE id = $1."
                )
            }
            guard number <= values.count else {
                throw AnalyticsError.invalidRequest("The query uses $\(number) but only \(values.count) values were bound.")
            }
            highest = max(highest, number)
            let code = self.bind(values[number - 1], to: statement, at: Int32(index))
            guard code == SQLITE_OK else { throw AnalyticsError.invalidRequest("Could not bind $\(number).") }
        }
        guard highest == values.count else {
            throw AnalyticsError.invalidRequest("\(values.count) values were bound but the query uses \(highest) placeholders.")
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func bind(_ value: JSONValue, to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch value {
        case .null: return sqlite3_bind_null(statement, index)
        case .bool(let bool): return sqlite3_bind_int64(statement, index, bool ? 1 : 0)
        case .int(let int): return sqlite3_bind_int64(statement, index, int)
        case .double(let double): return sqlite3_bind_double(statement, index, double)
        case .number(let literal):
            if let int = Int64(literal) { return sqlite3_bind_int64(statement, index, int) }
            if let double = Double(literal) { return sqlite3_bind_double(statement, index, double) }
            return sqlite3_bind_text(statement, index, literal, -1, self.transient)
        case .string(let text): return sqlite3_bind_text(statement, index, text, -1, self.transient)
        case .array, .object: return sqlite3_bind_text(statement, index, value.serialized(), -1, self.transient)
        }
    }

    private static func checkNothingFollows(_ tail: UnsafePointer<CChar>?, _ connection: OpaquePointer) throws {
        guard let tail, tail.pointee != 0 else { return }
        var next: OpaquePointer?
        // Preparing the rest tells real statements from trailing whitespace and comments.
        let code = sqlite3_prepare_v3(connection, tail, -1, 0, &next, nil)
        if let next { sqlite3_finalize(next) }
        if code != SQLITE_OK || next != nil {
            throw AnalyticsError(.sqlMultipleStatements, "Only one statement may run at a time.", hint: "Send the statements one by one.")
        }
    }

    private func prepareError(_ code: Int32, _ connection: OpaquePointer) -> AnalyticsError {
        if code == SQLITE_AUTH || self.policy.denied != nil {
            return AnalyticsError(
                .sqlNotReadOnly,
                "The statement was refused: \(self.policy.denied ?? "it does more than read") is not allowed on a read-only dataset.",
                hint: "Only read-only SELECT statements can run."
            )
        }
        return self.stepError(code, connection)
    }

    private func stepError(_ code: Int32, _ connection: OpaquePointer) -> AnalyticsError {
        let message = String(cString: sqlite3_errmsg(connection))
        if code & 0xFF == SQLITE_READONLY || code & 0xFF == SQLITE_AUTH {
            return AnalyticsError(.sqlNotReadOnly, "The database refused to change: \(message).", hint: "Only read-only SELECT statements can run.")
        }
        if code & 0xFF == SQLITE_ERROR || code & 0xFF == SQLITE_RANGE || code & 0xFF == SQLITE_MISMATCH || code & 0xFF == SQLITE_TOOBIG {
            return AnalyticsError(.queryFailed, "The query failed: \(message).", hint: "Fix the SQL and retry.")
        }
        return AnalyticsError(
            .datasetUnavailable,
            "The dataset's SQLite file could not be read (SQLite error \(code)).",
            hint: "An operator should check the dataset's file."
        )
    }
}
