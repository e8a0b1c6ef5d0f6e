import Foundation

/// Reads database type names as the connectors report them (`ColumnInfo.type`).
enum ColumnTypes {
    /// Whether values of a column declared `type` are numbers.
    ///
    /// PostgreSQL: the integer, floating-point and `numeric` types. SQLite: by type affinity (the
    /// rules of sqlite.org/datatype3 §3.1) — INTEGER, REAL and NUMERIC affinity are numeric; TEXT
    /// and BLOB (and no declared type) are not. SQLite stores any value in any column, so the weight
    /// check also looks at the stored values (`typeof`).
    static func isNumeric(_ type: String, dialect: SQLDialect) -> Bool {
        let name = type.lowercased()
        switch dialect {
        case .postgres:
            let base = name.split(separator: "(").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? name
            return [
                "smallint", "integer", "bigint", "int", "int2", "int4", "int8", "real", "float4", "float8", "double precision", "numeric",
                "decimal",
            ].contains(base)
        case .sqlite:
            if name.contains("int") { return true }
            if ["char", "clob", "text", "blob"].contains(where: name.contains) || name.isEmpty || name == "unknown" { return false }
            return true
        }
    }
}
