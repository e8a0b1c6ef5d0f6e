import AnalyticsCore
import SQLGuard

/// What makes two queries interchangeable for the result cache.
///
/// The statement is identified by its fingerprint, its normalised text and the values of its
/// constants: `pg_query_fingerprint` alone ignores constants and aliases (so `AS a` and `AS b`
/// would share a result with the wrong column names), while the normalised text keeps aliases and
/// layout but replaces constants by `$n`. Together with the constants, in parse-tree order, they
/// pin the statement exactly — except that libpg_query 15-4.0 prints every integer constant that
/// is zero or negative as an empty object (`-5` and `-6` look alike), so a statement holding one is
/// keyed by its exact text as well. The dataset version is part of the key, so any edit to the dataset
/// (settings, weighting, connection, lifecycle) makes its old entries unreachable at once.
public struct ResultCacheKey: Sendable, Hashable {
    public var datasetID: String
    public var datasetVersion: Int
    public var fingerprint: String
    public var normalizedSQL: String
    public var constants: [ParseNode]
    /// The statement's text, when its constants alone cannot tell it from another.
    public var exactSQL: String?
    /// The `limit` the caller asked for (`nil`: the dataset default).
    public var limit: Int?
    public var persona: String?
    /// The request of a weighted breakdown (whose SQL the server builds); `nil` for SQL.
    public var breakdown: BreakdownRequest?

    public init(datasetID: String, datasetVersion: Int, sql: String, analysis: SQLAnalysis, limit: Int?, persona: String?) {
        self.datasetID = datasetID
        self.datasetVersion = datasetVersion
        self.fingerprint = analysis.fingerprint
        self.normalizedSQL = analysis.normalizedSQL
        self.constants = Self.constants(in: analysis.parseTree)
        self.exactSQL = self.constants.contains(where: Self.isElidedInteger) ? sql : nil
        self.limit = limit
        self.persona = persona
    }

    /// The key of a weighted breakdown: the request itself (persona, filters and reference date
    /// included) on the dataset's version.
    public init(dataset: Dataset, breakdown: BreakdownRequest) {
        self.datasetID = dataset.id
        self.datasetVersion = dataset.version
        self.fingerprint = ""
        self.normalizedSQL = ""
        self.constants = []
        self.exactSQL = nil
        self.limit = nil
        self.persona = breakdown.persona
        self.breakdown = breakdown
    }

    /// Approximate bytes the key holds, for the cache's size accounting.
    var approximateBytes: Int {
        64 + self.datasetID.utf8.count + self.fingerprint.utf8.count + self.normalizedSQL.utf8.count
            + self.constants.count * 48 + (self.persona?.utf8.count ?? 0) + (self.exactSQL?.utf8.count ?? 0)
            + (self.breakdown == nil ? 0 : 512)
    }

    /// The literal values of the statement (`A_Const` nodes without their positions), in the order
    /// the tree lists them — the same order for every statement with the same normalised text.
    static func constants(in tree: ParseNode) -> [ParseNode] {
        var found: [ParseNode] = []
        self.collect(tree, into: &found)
        return found
    }

    /// An integer constant printed without its value: zero, or a negative number.
    static func isElidedInteger(_ constant: ParseNode) -> Bool {
        guard case .object(let object) = constant, let field = object.fields.first(where: { $0.key == "ival" }),
            case .object(let value) = field.value
        else { return false }
        return value.fields.isEmpty
    }

    private static func collect(_ node: ParseNode, into found: inout [ParseNode]) {
        switch node {
        case .object(let object):
            if object.fields.count == 1, let field = object.fields.first, field.key == "A_Const", case .object(let value) = field.value {
                found.append(.object(ParseObject(value.fields.filter { $0.key != "location" })))
                return
            }
            for field in object.fields { self.collect(field.value, into: &found) }
        case .array(let elements):
            for element in elements { self.collect(element, into: &found) }
        case .string, .integer, .double, .bool, .null:
            return
        }
    }
}
