import Foundation
import GRDB

/// Small real SQLite files for tests that need a dataset to register.
public enum TestSQLite {
    /// Creates a SQLite file with a `respondents` table of `rows` rows and returns its path.
    @discardableResult
    public static func createSampleDatabase(at path: String, rows: Int = 10) throws -> String {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE respondents (respondent_id INTEGER PRIMARY KEY, gender TEXT, weight REAL)")
            for i in 1...max(rows, 1) {
                try db.execute(
                    sql: "INSERT INTO respondents (respondent_id, gender, weight) VALUES (?, ?, ?)",
                    arguments: [i, i % 2 == 0 ? "Female" : "Male", 0.5 + Double(i % 7) * 0.25]
                )
            }
        }
        try queue.close()
        return path
    }
}
