import PostgresNIO
import Synchronization

/// How a column's binary value becomes JSON, and the name the column's type is reported under.
struct PostgresTypeInfo: Sendable, Hashable {
    enum Decoding: Sendable, Hashable {
        case bool, int2, int4, int8, oid, float4, float8, numeric
        case text, bytea, uuid, json, jsonb
        case date, time, timetz, timestamp, timestamptz, interval
        case array(element: UInt32)
        /// A composite or anonymous record: decoded field by field into a JSON array.
        case record
        /// Anything else (inet, money, ranges, geometric, …): converted to PostgreSQL's text form by
        /// the server itself, batched through an array of this type (`arrayType`, 0 when there is none).
        case serverText(arrayType: UInt32)
    }

    /// `pg_type.typname`, e.g. `int4`, `numeric`, `timestamptz`, `citext`, or an enum's name.
    var name: String
    var decoding: Decoding
}

/// Type information by OID: PostgreSQL's built-in types are known up front; anything else (extension
/// types, enums, domains' arrays, ranges) is looked up in `pg_type` once per connector and cached.
///
/// Column types are reported by `pg_type` name, arrays as the element name with `[]` (`int4[]`,
/// `text[]`, `mood[]`), because that is what an LLM writing PostgreSQL casts recognises.
final class PostgresTypeCatalog: Sendable {
    private let learned = Mutex<[UInt32: PostgresTypeInfo]>([:])

    func info(_ oid: UInt32) -> PostgresTypeInfo? {
        Self.builtins[oid] ?? self.learned.withLock { $0[oid] }
    }

    /// The reported name: `pg_type` name, or `element[]` for arrays; `oid:N` if never looked up.
    func displayName(_ oid: UInt32) -> String {
        guard let info = self.info(oid) else { return "oid:\(oid)" }
        if case .array(let element) = info.decoding, let elementInfo = self.info(element) {
            return elementInfo.name + "[]"
        }
        return info.name
    }

    /// Looks up every OID in `oids` (and, for arrays, their element types) that is not known yet.
    func load(_ oids: some Sequence<UInt32>, using run: PostgresStatementRunner) async throws {
        var missing = Set(oids.filter { self.info($0) == nil })
        var rounds = 0
        while !missing.isEmpty, rounds < 4 {
            rounds += 1
            let literal = "{" + missing.sorted().map(String.init).joined(separator: ",") + "}"
            var binds = PostgresBindings()
            binds.append(literal)
            let rows = try await run.rows(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT t.oid::int8, t.typname::text, t.typelem::int8, t.typarray::int8, p.proname::text
                        FROM pg_catalog.pg_type t JOIN pg_catalog.pg_proc p ON p.oid = t.typsend
                        WHERE t.oid = ANY($1::pg_catalog.oid[])
                        """,
                    binds: binds
                )
            )
            var next = Set<UInt32>()
            var found: [UInt32: PostgresTypeInfo] = [:]
            for row in rows {
                let (oid, name, element, arrayType, sendFunction) = try row.decode((Int64, String, Int64, Int64, String).self)
                let info = Self.classify(name: name, sendFunction: sendFunction, element: UInt32(element), arrayType: UInt32(arrayType))
                found[UInt32(oid)] = info
                if case .array(let elementOID) = info.decoding, self.info(elementOID) == nil, found[elementOID] == nil {
                    next.insert(elementOID)
                }
            }
            for oid in missing where found[oid] == nil {
                found[oid] = PostgresTypeInfo(name: "oid:\(oid)", decoding: .serverText(arrayType: 0))
            }
            self.learned.withLock { $0.merge(found) { _, new in new } }
            missing = next
        }
    }

    /// Send functions whose binary form is the value's text in the client encoding.
    static let textSendFunctions: Set<String> = [
        "textsend", "varcharsend", "bpcharsend", "namesend", "unknownsend", "enum_send", "citextsend", "xml_send",
        "charsend",
    ]

    static func classify(name: String, sendFunction: String, element: UInt32, arrayType: UInt32) -> PostgresTypeInfo {
        let decoding: PostgresTypeInfo.Decoding
        if sendFunction == "array_send", element != 0 {
            decoding = .array(element: element)
        } else if sendFunction == "record_send" {
            decoding = .record
        } else if self.textSendFunctions.contains(sendFunction) {
            decoding = .text
        } else {
            decoding = .serverText(arrayType: arrayType)
        }
        return PostgresTypeInfo(name: name, decoding: decoding)
    }

    static let builtins: [UInt32: PostgresTypeInfo] = {
        let scalars: [(UInt32, UInt32, String, PostgresTypeInfo.Decoding)] = [
            (16, 1000, "bool", .bool),
            (17, 1001, "bytea", .bytea),
            (18, 1002, "char", .text),
            (19, 1003, "name", .text),
            (20, 1016, "int8", .int8),
            (21, 1005, "int2", .int2),
            (23, 1007, "int4", .int4),
            (25, 1009, "text", .text),
            (26, 1028, "oid", .oid),
            (114, 199, "json", .json),
            (142, 143, "xml", .text),
            (700, 1021, "float4", .float4),
            (701, 1022, "float8", .float8),
            (705, 0, "unknown", .text),
            (1042, 1014, "bpchar", .text),
            (1043, 1015, "varchar", .text),
            (1082, 1182, "date", .date),
            (1083, 1183, "time", .time),
            (1114, 1115, "timestamp", .timestamp),
            (1184, 1185, "timestamptz", .timestamptz),
            (1186, 1187, "interval", .interval),
            (1266, 1270, "timetz", .timetz),
            (1700, 1231, "numeric", .numeric),
            (2249, 2287, "record", .record),
            // `void` (e.g. `SELECT pg_sleep(1)`): its binary form is empty, its text form ''.
            (2278, 0, "void", .text),
            (2950, 2951, "uuid", .uuid),
            (3802, 3807, "jsonb", .jsonb),
        ]
        var table: [UInt32: PostgresTypeInfo] = [:]
        for (oid, arrayOID, name, decoding) in scalars {
            table[oid] = PostgresTypeInfo(name: name, decoding: decoding)
            if arrayOID != 0 {
                table[arrayOID] = PostgresTypeInfo(name: "_" + name, decoding: .array(element: oid))
            }
        }
        return table
    }()
}
