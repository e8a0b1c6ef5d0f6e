import AnalyticsCore

/// Parameters of one statement under construction: each value added returns its `$n` placeholder.
struct SQLBinds {
    private(set) var values: [JSONValue] = []

    /// Binds `value` and returns its placeholder.
    mutating func add(_ value: JSONValue) -> String {
        self.values.append(value)
        return "$\(self.values.count)"
    }

    /// `$a, $b, …` for a list of values.
    mutating func list(_ values: [JSONValue]) -> String {
        values.map { self.add($0) }.joined(separator: ", ")
    }

    /// A comparison value: numbers go as exact literals so PostgreSQL types the parameter from
    /// the column it meets (an `integer`, `numeric` or `double precision` alike), SQLite as numbers.
    static func comparable(_ value: JSONValue) -> JSONValue {
        switch value {
        case .int(let int): .number(String(int))
        case .double(let double): .number(double.description)
        default: value
        }
    }
}
