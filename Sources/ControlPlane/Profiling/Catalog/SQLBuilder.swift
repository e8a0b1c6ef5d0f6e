import AnalyticsCore

/// Collects bind values for one statement and hands out their `$n` placeholders, so SQL text the
/// profiler writes never contains a value (identifiers go through `SQLIdentifier.quote`).
struct SQLBuilder {
    private(set) var binds: [JSONValue] = []

    /// Appends `value` and returns its placeholder.
    mutating func bind(_ value: JSONValue) -> String {
        self.binds.append(value)
        return "$\(self.binds.count)"
    }
}
