import Foundation

/// Typed column access over one result row, implemented by both backends so each record type is
/// decoded by one piece of code (``StoreRecords``).
protocol StoreRow {
    func string(_ column: String) throws -> String
    func optionalString(_ column: String) throws -> String?
    func int(_ column: String) throws -> Int
    func int64(_ column: String) throws -> Int64
    func double(_ column: String) throws -> Double
    func bool(_ column: String) throws -> Bool
    func date(_ column: String) throws -> Date
    func optionalDate(_ column: String) throws -> Date?
    func data(_ column: String) throws -> Data
    func optionalData(_ column: String) throws -> Data?
}
