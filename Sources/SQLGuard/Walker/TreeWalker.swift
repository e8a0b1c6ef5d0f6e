/// One pass over a `SELECT`'s parse tree that collects everything the guard and its callers ask:
/// violations, relations read, functions called, column references, aggregate calls and the
/// shape of every query level.
///
/// The walk is generic (it descends into every field of every node) and stops only at the node
/// types it must understand: query levels, FROM items, function calls, column references,
/// attribute-notation indirection, locking clauses and nested data-modifying statements.
struct TreeWalker {
    /// Where in the tree the walk is, passed down by value.
    struct Context {
        var level: Int?
        /// `WITH` names visible here, mapped to their index in ``ctes``.
        var scope: [String: Int] = [:]
        /// The target-list entry being walked, if any.
        var target: Int?
        var inGroupBy = false
        /// The aggregate call whose arguments are being walked, if any.
        var aggregate: Int?
    }

    struct Column {
        var qualifier: [String]
        var name: String?
        var byteLocation: Int
        var level: Int
    }

    struct Aggregate {
        var function: QualifiedName
        var byteLocation: Int
        var level: Int
        var isStar: Bool
        var columns: [Int] = []
    }

    let policy: FunctionPolicy
    let relationPolicy = RelationPolicy.default
    var levels: [QueryLevel] = []
    var ctes: [CommonTable] = []
    var relations: [(name: QualifiedName, byteLocation: Int)] = []
    var functions: [(name: QualifiedName, byteLocation: Int)] = []
    var columns: [Column] = []
    var aggregates: [Aggregate] = []
    var violations: [Violation] = []

    init(policy: FunctionPolicy) {
        self.policy = policy
    }

    // MARK: Generic descent

    mutating func visit(_ node: ParseNode, _ context: Context) {
        switch node {
        case .array(let elements):
            for element in elements { self.visit(element, context) }
        case .object(let object):
            if let (tag, fields) = node.tagged {
                self.visitNode(tag, fields, context)
            } else {
                self.noteLocation(object, context)
                self.visitFields(object, context)
            }
        default:
            break
        }
    }

    /// Walks every field of an object in printed order, which is the same on every run.
    mutating func visitFields(_ fields: ParseObject, _ context: Context, skipping skipped: Set<String> = []) {
        for field in fields.fields where skipped.isEmpty || !skipped.contains(field.key) {
            self.visit(field.value, context)
        }
    }

    mutating func visitNode(_ tag: String, _ fields: ParseObject, _ context: Context) {
        self.noteLocation(fields, context)
        switch tag {
        case "SelectStmt":
            _ = self.visitSelect(fields, context)
        case "FuncCall":
            self.visitFunctionCall(fields, context)
        case "ColumnRef":
            self.recordColumn(fields, context)
        case "A_Indirection":
            self.visitIndirection(fields, context)
        case "LockingClause":
            self.recordLocking(fields, context)
        case _ where Self.dataModifyingTags.contains(tag):
            self.recordDataModifying(tag, fields, cteName: nil, byteLocation: nil, context)
        case "RangeVar":
            // Outside FROM (locked relations, INTO targets) a RangeVar is not a relation read.
            break
        default:
            self.visitFields(fields, context)
        }
    }

    mutating func noteLocation(_ fields: ParseObject, _ context: Context) {
        guard let level = context.level, let location = fields["location"]?.integerValue, location >= 0 else { return }
        let offset = Int(location)
        if let first = self.levels[level].firstLocation, first <= offset { return }
        self.levels[level].firstLocation = offset
    }

    static func location(_ fields: ParseObject) -> Int {
        // libpg_query omits a location of 0.
        Int(fields["location"]?.integerValue ?? 0)
    }

    // MARK: Results

    /// The reason to refuse first: changes to data before forbidden calls, then by position.
    var firstViolation: Violation? {
        self.violations.min { left, right in
            if left.kind != right.kind { return left.kind < right.kind }
            return (self.byteLocation(of: left) ?? Int.max) < (self.byteLocation(of: right) ?? Int.max)
        }
    }

    /// Where a violation is: its own location, else the start of its query level.
    func byteLocation(of violation: Violation) -> Int? {
        violation.byteLocation ?? violation.level.flatMap { self.levels[$0].firstLocation }
    }
}
