/// One value of the PostgreSQL parse tree, as libpg_query prints it in JSON.
///
/// The tree is kept generic on purpose: PostgreSQL has hundreds of node types and the guard only
/// needs a few of them by name, so the walker matches the nodes it cares about and descends through
/// everything else. A node is an object with one key, its type tag (`{"SelectStmt": {…}}`); its
/// fields are objects with lower-case keys. libpg_query leaves out fields that are zero, false or
/// empty, and prints fields in a fixed order, which objects keep.
public enum ParseNode: Sendable, Hashable {
    case object(ParseObject)
    case array([ParseNode])
    case string(String)
    case integer(Int64)
    case double(Double)
    case bool(Bool)
    case null
}

/// The fields of a JSON object in the order libpg_query printed them.
///
/// Objects in a parse tree have a handful of fields, so a list searched in order is both smaller
/// and faster than a dictionary, and walking it visits fields in the same order on every run.
public struct ParseObject: Sendable, Hashable {
    public struct Field: Sendable, Hashable {
        public var key: String
        public var value: ParseNode

        public init(key: String, value: ParseNode) {
            self.key = key
            self.value = value
        }
    }

    public var fields: [Field]

    public init(_ fields: [Field] = []) {
        self.fields = fields
    }

    public subscript(key: String) -> ParseNode? {
        for field in self.fields where field.key == key { return field.value }
        return nil
    }

    public var isEmpty: Bool { self.fields.isEmpty }
}

extension ParseNode {
    /// The field `key` of an object, `nil` for anything else or an absent field.
    public subscript(key: String) -> ParseNode? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The type tag and fields when this is a tagged node such as `{"FuncCall": {…}}`.
    public var tagged: (tag: String, fields: ParseObject)? {
        guard case .object(let object) = self, object.fields.count == 1, let field = object.fields.first,
            let first = field.key.utf8.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z"),
            case .object(let fields) = field.value
        else { return nil }
        return (field.key, fields)
    }

    /// The elements of a list; an absent or non-list value reads as the empty list.
    public var elements: [ParseNode] {
        if case .array(let elements) = self { return elements }
        return []
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var integerValue: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// `true` only for a JSON `true`; libpg_query omits false booleans.
    public var isTrue: Bool {
        if case .bool(true) = self { return true }
        return false
    }

    /// Whether this is `{}`, e.g. the marker plain `DISTINCT` leaves in its list.
    public var isEmptyObject: Bool {
        if case .object(let object) = self { return object.isEmpty }
        return false
    }

    /// The text of a `{"String": {"sval": …}}` node, the form names and name parts take.
    public var nameValue: String? {
        guard let (tag, fields) = self.tagged, tag == "String" else { return nil }
        // An empty string is printed without its `sval` field.
        return fields["sval"]?.stringValue ?? ""
    }
}
