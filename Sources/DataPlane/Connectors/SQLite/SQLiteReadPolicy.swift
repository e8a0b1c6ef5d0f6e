import GRDB
import GRDBSQLite

/// The SQLite authorizer that lets a caller's statement only read (the second guard layer for
/// SQLite datasets, beside the read-only connection and `sqlite3_stmt_readonly`).
///
/// While ``isGuarding`` is set — from preparing the caller's statement to finalising it — only
/// `SELECT`, table reads, recursive CTEs, ordinary function calls and a short list of
/// introspection pragmas are authorised; everything else (writes, DDL, `ATTACH`/`DETACH`,
/// transaction control, pragma assignments, `load_extension`, …) is denied and named in
/// ``denied``. Outside that window GRDB's own bookkeeping statements run unhindered.
///
/// Installing it replaces GRDB's statement authorizer on that connection. GRDB uses its
/// authorizer to observe writes (these connections never write) and to recognise transaction
/// statements when an access is cancelled — which is why the connector never lets GRDB see task
/// cancellation and interrupts statements itself (``SQLiteInterruptHandle``).
final class SQLiteReadPolicy: @unchecked Sendable {
    // Mutated only on the connection's serial GRDB queue.
    var isGuarding = false
    var denied: String?

    static let introspectionPragmasWithArgument: Set<String> = [
        "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    ]
    static let readOnlyPragmas: Set<String> = [
        "user_version", "schema_version", "application_id", "page_count", "page_size", "encoding", "database_list",
        "collation_list", "table_list", "freelist_count", "data_version",
    ]
    static let deniedFunctions: Set<String> = ["load_extension", "fts3_tokenizer", "readfile", "writefile", "edit"]

    /// Installs the policy as `db`'s authorizer; the caller keeps `self` alive while `db` is open.
    func install(on db: Database) {
        sqlite3_set_authorizer(
            db.sqliteConnection,
            { context, action, first, second, _, _ in
                guard let context else { return SQLITE_DENY }
                let policy = Unmanaged<SQLiteReadPolicy>.fromOpaque(context).takeUnretainedValue()
                return policy.authorize(action, first.map { String(cString: $0) }, second.map { String(cString: $0) })
            },
            Unmanaged.passUnretained(self).toOpaque()
        )
    }

    func authorize(_ action: Int32, _ first: String?, _ second: String?) -> Int32 {
        guard self.isGuarding else { return SQLITE_OK }
        switch action {
        case SQLITE_SELECT, SQLITE_READ, SQLITE_RECURSIVE:
            return SQLITE_OK
        case SQLITE_FUNCTION:
            let name = (second ?? "").lowercased()
            guard !Self.deniedFunctions.contains(name) else { return self.deny("calling \(name)()") }
            return SQLITE_OK
        case SQLITE_PRAGMA:
            let name = (first ?? "").lowercased()
            if Self.introspectionPragmasWithArgument.contains(name) || (second == nil && Self.readOnlyPragmas.contains(name)) {
                return SQLITE_OK
            }
            return self.deny(second == nil ? "PRAGMA \(name)" : "setting PRAGMA \(name)")
        default:
            return self.deny(Self.describe(action, first))
        }
    }

    private func deny(_ what: String) -> Int32 {
        if self.denied == nil { self.denied = what }
        return SQLITE_DENY
    }

    static func describe(_ action: Int32, _ object: String?) -> String {
        let target = object.map { " \($0)" } ?? ""
        switch action {
        case SQLITE_INSERT: return "INSERT into\(target)"
        case SQLITE_UPDATE: return "UPDATE of\(target)"
        case SQLITE_DELETE: return "DELETE from\(target)"
        case SQLITE_ATTACH: return "ATTACH"
        case SQLITE_DETACH: return "DETACH"
        case SQLITE_TRANSACTION, SQLITE_SAVEPOINT: return "transaction control"
        case SQLITE_ANALYZE: return "ANALYZE"
        case SQLITE_REINDEX: return "REINDEX"
        case SQLITE_ALTER_TABLE: return "ALTER TABLE"
        case SQLITE_CREATE_INDEX, SQLITE_CREATE_TABLE, SQLITE_CREATE_TEMP_INDEX, SQLITE_CREATE_TEMP_TABLE,
            SQLITE_CREATE_TEMP_TRIGGER, SQLITE_CREATE_TEMP_VIEW, SQLITE_CREATE_TRIGGER, SQLITE_CREATE_VIEW,
            SQLITE_CREATE_VTABLE:
            return "CREATE\(target)"
        case SQLITE_DROP_INDEX, SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_INDEX, SQLITE_DROP_TEMP_TABLE,
            SQLITE_DROP_TEMP_TRIGGER, SQLITE_DROP_TEMP_VIEW, SQLITE_DROP_TRIGGER, SQLITE_DROP_VIEW,
            SQLITE_DROP_VTABLE:
            return "DROP\(target)"
        default: return "a non-read operation (authorizer action \(action))"
        }
    }
}
