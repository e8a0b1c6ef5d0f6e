/// The one place identifiers are quoted for SQL the server writes itself.
///
/// Values never go through here: they are bound as parameters. Identifiers (table and column names
/// from the registry or a weighting config) cannot be bound, so they are always double-quoted with
/// embedded quotes doubled, which PostgreSQL and SQLite both read as a literal name. A name with a
/// NUL byte has no quoted form and is refused.
public enum SQLIdentifier {
    /// `respondents` → `"respondents"`, `we"ird` → `"we""ird"`.
    public static func quote(_ name: String) throws -> String {
        guard !name.isEmpty, !name.unicodeScalars.contains("\0") else {
            throw AnalyticsError.invalidRequest("'\(name)' is not a valid SQL identifier.")
        }
        return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A possibly schema-qualified name, `schema.table` given as parts: each part quoted, joined by dots.
    public static func quote(qualified parts: [String]) throws -> String {
        try parts.map(self.quote).joined(separator: ".")
    }
}
