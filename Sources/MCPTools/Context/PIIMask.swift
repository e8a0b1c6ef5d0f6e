import AnalyticsCore

/// Masks values of columns that hold personal data, wherever a context level shows values.
///
/// The profiler masks what it stores already; this is the second layer, keyed on the column's
/// `pii` flag, so a profile written by an older profiler cannot leak a value through MCP.
enum PIIMask {
    static let placeholder: JSONValue = "[masked]"

    static func isPersonal(_ column: ColumnProfile?) -> Bool {
        column?.pii != nil
    }

    /// Sample rows limited to `limit`, with personal columns masked (and columns the profile does
    /// not know treated as personal only if their name says so).
    static func sampleRows(_ table: TableProfile, limit: Int) -> [[String: JSONValue]] {
        table.sampleRows.prefix(limit).map { row in
            var masked: [String: JSONValue] = [:]
            for (name, value) in row {
                let column = table.column(named: name)
                masked[name] = (self.isPersonal(column) || (column == nil && self.looksPersonal(name))) && !value.isNull ? self.placeholder : value
            }
            return masked
        }
    }

    /// Column names that suggest personal data even without a profile flag.
    static func looksPersonal(_ name: String) -> Bool {
        let lower = name.lowercased()
        return ["email", "phone", "mobile", "first_name", "last_name", "full_name", "address", "ssn", "passport"].contains { lower.contains($0) }
    }
}
