import Foundation
import PostgresNIO

/// A PostgresNIO row read through ``StoreRow``; dates are rounded to the store's precision.
struct PostgresStoreRow: StoreRow {
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = row.makeRandomAccess()
    }

    func string(_ column: String) throws -> String { try self.row[column].decode(String.self) }
    func optionalString(_ column: String) throws -> String? { try self.row[column].decode(String?.self) }
    func int(_ column: String) throws -> Int { try self.row[column].decode(Int.self) }
    func int64(_ column: String) throws -> Int64 { try self.row[column].decode(Int64.self) }
    func double(_ column: String) throws -> Double { try self.row[column].decode(Double.self) }
    func bool(_ column: String) throws -> Bool { try self.row[column].decode(Bool.self) }
    func data(_ column: String) throws -> Data { try self.row[column].decode(Data.self) }
    func optionalData(_ column: String) throws -> Data? { try self.row[column].decode(Data?.self) }
    func date(_ column: String) throws -> Date { StoreTimestamp.normalize(try self.row[column].decode(Date.self)) }
    func optionalDate(_ column: String) throws -> Date? { StoreTimestamp.normalize(try self.row[column].decode(Date?.self)) }
}

extension PostgresConnection {
    /// Runs `query` and collects its rows (the store's result sets are small).
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresStoreRow] {
        var rows: [PostgresStoreRow] = []
        for try await row in try await self.query(query, logger: logger) {
            rows.append(PostgresStoreRow(row))
        }
        return rows
    }

    func firstRow(_ query: PostgresQuery, logger: Logger) async throws -> PostgresStoreRow? {
        try await self.rows(query, logger: logger).first
    }
}
