/// A possibly schema-qualified name of a relation or function, as PostgreSQL resolves the spelling.
///
/// Unquoted identifiers arrive folded to lower case and quoted ones verbatim (the parser does both),
/// so `Public.Respondents`, `public.respondents` and `"public"."respondents"` are equal here while
/// `"Respondents"` is a different name, exactly as in PostgreSQL.
public struct QualifiedName: Sendable, Hashable, Codable, CustomStringConvertible {
    public var schema: String?
    public var name: String

    public init(schema: String? = nil, name: String) {
        self.schema = schema
        self.name = name
    }

    /// `schema.name`, or `name` alone.
    public var description: String {
        if let schema { return "\(schema).\(self.name)" }
        return self.name
    }

    /// Whether the two spellings can name the same object: equal names, and equal schemas unless
    /// either leaves the schema to the search path.
    public func matches(_ other: QualifiedName) -> Bool {
        guard self.name == other.name else { return false }
        guard let schema = self.schema, let otherSchema = other.schema else { return true }
        return schema == otherSchema
    }
}
