import Foundation
import GRDB

/// Raw SQL on a SQLite store file from outside the store, as an older server version or an operator
/// would have written it (the store itself only runs its own statements).
enum SQLiteScript {
    /// Runs `statements` in one transaction on their own connection, closed afterwards.
    static func run(_ statements: [String], on path: String) async throws {
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            for statement in statements {
                try db.execute(sql: statement)
            }
        }
        try queue.close()
    }
}
