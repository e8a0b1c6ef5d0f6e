/// Which functions a guarded query may not call.
///
/// A read-only transaction stops most writes, but PostgreSQL still lets a `SELECT` read server files,
/// signal other backends, take advisory locks, advance sequences or run SQL text through functions.
/// The policy names those functions so the guard refuses them before anything runs. Names are
/// compared case-insensitively on the function's own name, whatever schema qualifies it, so
/// `pg_catalog.PG_READ_FILE`, `"pg_read_file"` and `U&"\0070g_read_file"` are all the same call.
public struct FunctionPolicy: Sendable, Hashable {
    /// Why a family of functions is refused; the text goes into the error message.
    public enum Category: String, Sendable, Hashable, CaseIterable {
        case serverFiles = "reads or lists files on the database server"
        case largeObjects = "reads or writes large objects"
        case remoteDatabases = "connects to another database"
        case backendControl = "controls the server, its backends, WAL or replication"
        case sessionState = "changes session state shared by pooled connections"
        case sequences = "changes a sequence"
        case advisoryLocks = "takes or releases advisory locks"
        case notifications = "sends notifications"
        case executesSQLText = "runs SQL text given as an argument"
        case transactionIDs = "assigns or inspects transaction ids"
        case statistics = "resets server statistics"
        case catalogChanges = "changes catalogs or indexes"
    }

    /// A denied exact name or name prefix, lower case.
    public struct Rule: Sendable, Hashable {
        public enum Pattern: Sendable, Hashable {
            case exact(String)
            case prefix(String)
        }

        public var pattern: Pattern
        public var category: Category

        public init(_ pattern: Pattern, _ category: Category) {
            self.pattern = pattern
            self.category = category
        }

        public static func exact(_ name: String, _ category: Category) -> Rule {
            Rule(.exact(name.lowercased()), category)
        }

        public static func prefix(_ prefix: String, _ category: Category) -> Rule {
            Rule(.prefix(prefix.lowercased()), category)
        }
    }

    private var exact: [String: Rule]
    private var prefixes: [Rule]
    /// Names let through even when a rule matches them, lower case.
    private var exceptions: Set<String>

    public init(rules: [Rule], exceptions: Set<String> = []) {
        var exact: [String: Rule] = [:]
        var prefixes: [Rule] = []
        for rule in rules {
            switch rule.pattern {
            case .exact(let name): exact[name] = rule
            case .prefix: prefixes.append(rule)
            }
        }
        self.exact = exact
        self.prefixes = prefixes
        self.exceptions = Set(exceptions.map { $0.lowercased() })
    }

    /// All rules, exact names first.
    public var rules: [Rule] {
        self.exact.values.sorted { "\($0.pattern)" < "\($1.pattern)" } + self.prefixes
    }

    /// The rule that denies `name`, or `nil` when the function may be called.
    public func denial(for name: String) -> Rule? {
        let name = name.lowercased()
        if self.exceptions.contains(name) { return nil }
        if let rule = self.exact[name] { return rule }
        for rule in self.prefixes {
            if case .prefix(let prefix) = rule.pattern, name.hasPrefix(prefix) { return rule }
        }
        return nil
    }

    /// This policy with more rules, e.g. for a dataset's own dangerous functions.
    public func adding(_ rules: [Rule]) -> FunctionPolicy {
        FunctionPolicy(rules: self.rules + rules, exceptions: self.exceptions)
    }

    /// This policy letting `names` through even though a rule matches them.
    public func allowing(_ names: Set<String>) -> FunctionPolicy {
        FunctionPolicy(rules: self.rules, exceptions: self.exceptions.union(names))
    }
}
