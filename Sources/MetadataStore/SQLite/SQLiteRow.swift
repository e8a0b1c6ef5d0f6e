import Foundation
import GRDB

/// A GRDB row read through ``StoreRow``; dates are the text form of ``StoreTimestamp``.
struct SQLiteRow: StoreRow {
    let row: Row

    init(_ row: Row) {
        self.row = row
    }

    func string(_ column: String) throws -> String { try self.row.decode(String.self, forColumn: column) }
    func optionalString(_ column: String) throws -> String? { try self.row.decode(String?.self, forColumn: column) }
    func int(_ column: String) throws -> Int { try self.row.decode(Int.self, forColumn: column) }
    func int64(_ column: String) throws -> Int64 { try self.row.decode(Int64.self, forColumn: column) }
    func double(_ column: String) throws -> Double { try self.row.decode(Double.self, forColumn: column) }
    func bool(_ column: String) throws -> Bool { try self.row.decode(Bool.self, forColumn: column) }
    func data(_ column: String) throws -> Data { try self.row.decode(Data.self, forColumn: column) }
    func optionalData(_ column: String) throws -> Data? { try self.row.decode(Data?.self, forColumn: column) }

    func date(_ column: String) throws -> Date {
        guard let date = StoreTimestamp.parse(try self.string(column)) else { throw StoreFailure.corrupt("timestamp") }
        return date
    }

    func optionalDate(_ column: String) throws -> Date? {
        guard let text = try self.optionalString(column) else { return nil }
        guard let date = StoreTimestamp.parse(text) else { throw StoreFailure.corrupt("timestamp") }
        return date
    }
}

extension Date {
    /// The SQLite column value of a date (see ``StoreTimestamp``).
    var sqliteText: String { StoreTimestamp.text(self) }
}
