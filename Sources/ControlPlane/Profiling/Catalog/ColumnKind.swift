/// What the profiler can compute for a column, derived from its database type.
enum ColumnKind: String, Sendable, Hashable {
    case integer
    case decimal
    case float
    case text
    case date
    case timestamp
    case time
    case boolean
    case uuid
    /// SQLite columns without a declared type: any value, ordered by SQLite's rules.
    case untyped
    /// Everything else (JSON, arrays, binary, geometric…): only the null fraction.
    case other

    var isNumeric: Bool { self == .integer || self == .decimal || self == .float }
    var isTemporal: Bool { self == .date || self == .timestamp }
    /// `min`/`max` are defined for it.
    var isOrderable: Bool { self.isNumeric || self.isTemporal || self == .text || self == .time || self == .untyped }
    /// `GROUP BY` works on it (top values, distinct counts).
    var isGroupable: Bool { self != .other }
    /// Its values may be text worth inspecting for date formats and personal data.
    var mayHoldText: Bool { self == .text || self == .untyped }

    /// Classifies a PostgreSQL type from its (base) type name and `pg_type.typcategory`.
    static func postgres(typeName: String, category: String) -> ColumnKind {
        let name = typeName.lowercased()
        switch category {
        case "N":
            if ["smallint", "integer", "bigint"].contains(name) { return .integer }
            if ["real", "double precision"].contains(name) { return .float }
            if name.hasPrefix("numeric") || name.hasPrefix("decimal") { return .decimal }
            return .other
        case "S":
            return .text
        case "D":
            if name == "date" { return .date }
            if name.hasPrefix("timestamp") { return .timestamp }
            if name.hasPrefix("time") { return .time }
            return .other
        case "B":
            return .boolean
        case "U":
            return name == "uuid" ? .uuid : .other
        default:
            return .other
        }
    }

    /// Classifies a SQLite declared type the way SQLite assigns affinity, with date and boolean
    /// names recognised first (SQLite stores those as text or numbers).
    static func sqlite(declaredType: String) -> ColumnKind {
        let type = declaredType.uppercased()
        if type.isEmpty { return .untyped }
        if type.contains("INT") { return .integer }
        if type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT") { return .text }
        if type.contains("BLOB") { return .other }
        if type.contains("TIMESTAMP") || type.contains("DATETIME") { return .timestamp }
        if type == "DATE" || type.hasPrefix("DATE ") || type.hasPrefix("DATE(") { return .date }
        if type.contains("TIME") { return .time }
        if type.contains("BOOL") { return .boolean }
        if type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB") { return .float }
        return .decimal
    }
}
