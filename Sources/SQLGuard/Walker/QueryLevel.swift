/// What the walker learned about one query level: a `SELECT`, a set operation or a `VALUES` list.
///
/// Levels are numbered in the order the walker meets them; 0 is the top-level query (or the query
/// an `EXPLAIN` explains). Column references and aggregate calls point back to their level by
/// number, so questions asked after the walk (aggregated or raw, weighted or not) need no second
/// pass over the tree.
struct QueryLevel: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case select
        case values
        case setOperation(arms: [Int])
    }

    /// An item of the FROM clause and the name it is visible under.
    struct Source: Sendable, Hashable {
        enum Kind: Sendable, Hashable {
            case relation(QualifiedName)
            case commonTableExpression(name: String, index: Int)
            case subquery(level: Int)
            case function
            /// A join; its members are visible by their own names unless the join has an alias.
            case join([Source])
        }

        var alias: String?
        var kind: Kind
    }

    /// One entry of the target list.
    struct Target: Sendable, Hashable {
        enum Star: Sendable, Hashable {
            case all
            case qualified(String)
        }

        /// The output column name when the query fixes it: the `AS` alias or a plain column's name.
        var name: String?
        var star: Star?
        /// Column references of this level inside the entry (indexes into the walk's columns).
        var columns: [Int] = []
        /// The subset outside aggregate calls.
        var bareColumns: [Int] = []
    }

    var id: Int
    var parent: Int?
    var kind: Kind = .select
    var sources: [Source] = []
    var targets: [Target] = []
    var aggregates: [Int] = []
    var groupByColumns: [Int] = []
    var hasGroupBy = false
    var hasHaving = false
    /// `DISTINCT` (not `DISTINCT ON`, which keeps one whole row per key).
    var hasDistinct = false
    /// The smallest byte offset of any node inside, to point at clauses that carry no location.
    var firstLocation: Int?

    init(id: Int, parent: Int?) {
        self.id = id
        self.parent = parent
    }
}

/// A `WITH` query: its name and the level of its query (`nil` for a data-modifying one).
struct CommonTable: Sendable, Hashable {
    var name: String
    var level: Int?
}
