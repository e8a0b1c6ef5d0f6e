/// What a breakdown measures per segment (DESIGN §5.2).
///
/// - `share`: Σ_{S∩C} w / Σ_S w, where C is a condition on respondent columns (``conditions``)
///   or reach — at least one matching event (``events``);
/// - `mean`: Σ w·x / Σ w of a respondent column (``column``; respondents without a value are left
///   out) or of a per-respondent event aggregate (``events``; 0 for respondents without events);
/// - `total`: the projected total Σ w·x;
/// - `per_user`: the mean among reached respondents only (those with at least one matching event).
public struct BreakdownMeasure: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case share
        case mean
        case total
        case perUser = "per_user"
    }

    public var kind: Kind
    /// Narrative phrase chosen by the caller ("watched Sports"); a generated one otherwise.
    public var label: String?
    /// For `share` by condition: all must hold.
    public var conditions: [RespondentCondition]
    /// For `mean`/`total` of a respondent column.
    public var column: String?
    /// Reach (for `share`) or the per-respondent event value (for `mean`, `total`, `per_user`).
    public var events: EventSelection?

    public init(
        kind: Kind,
        label: String? = nil,
        conditions: [RespondentCondition] = [],
        column: String? = nil,
        events: EventSelection? = nil
    ) {
        self.kind = kind
        self.label = label
        self.conditions = conditions
        self.column = column
        self.events = events
    }
}

/// A condition on one respondent column; on a dimension column it reads reported (merged) values.
public struct RespondentCondition: Sendable, Hashable {
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case isIn = "in"
        case notIn = "not_in"
        case isNull = "is_null"
        case notNull = "not_null"

        /// How many values the operator takes: nil for one or more.
        var arity: Int? {
            switch self {
            case .isNull, .notNull: 0
            case .isIn, .notIn: nil
            default: 1
            }
        }
    }

    public var column: String
    public var op: Operator
    public var values: [JSONValue]

    public init(column: String, op: Operator, values: [JSONValue]) {
        self.column = column
        self.op = op
        self.values = values
    }
}

/// Events of one configured event table, filtered, in an optional date window, and how they roll
/// up per respondent.
public struct EventSelection: Sendable, Hashable {
    public var table: String
    /// Per-respondent roll-up for value measures; ignored for reach.
    public var aggregation: EventTableConfig.Aggregation?
    /// The measure column (`sum`/`avg` need one; `count` counts events without).
    public var column: String?
    /// Filter column → accepted values; only the table's `filter_columns`.
    public var filters: [String: [JSONValue]]
    public var window: DateWindow?

    public init(
        table: String,
        aggregation: EventTableConfig.Aggregation? = nil,
        column: String? = nil,
        filters: [String: [JSONValue]] = [:],
        window: DateWindow? = nil
    ) {
        self.table = table
        self.aggregation = aggregation
        self.column = column
        self.filters = filters
        self.window = window
    }
}

/// A window of whole days: the last N days ending on the reference day, or explicit bounds.
public struct DateWindow: Sendable, Hashable {
    public var lastDays: Int?
    /// First day, inclusive.
    public var from: BreakdownDay?
    /// Last day, inclusive.
    public var to: BreakdownDay?

    public init(lastDays: Int? = nil, from: BreakdownDay? = nil, to: BreakdownDay? = nil) {
        self.lastDays = lastDays
        self.from = from
        self.to = to
    }

    /// The concrete days, given the reference day that "last N days" ends on.
    public func resolved(reference: BreakdownDay) -> ResolvedWindow {
        if let lastDays {
            return ResolvedWindow(from: reference.adding(days: -(lastDays - 1)), to: reference, lastDays: lastDays)
        }
        return ResolvedWindow(from: self.from, to: self.to, lastDays: nil)
    }

    /// Whether resolving needs a reference day.
    public var isRelative: Bool { self.lastDays != nil }
}

/// A window with its days fixed: `time >= from` and `time < to + 1 day`.
public struct ResolvedWindow: Sendable, Hashable {
    public var from: BreakdownDay?
    public var to: BreakdownDay?
    public var lastDays: Int?

    public init(from: BreakdownDay?, to: BreakdownDay?, lastDays: Int?) {
        self.from = from
        self.to = to
        self.lastDays = lastDays
    }

    /// "in the last 90 days (2025-12-03 to 2026-03-02)", "from 2025-01-01", …
    public var phrase: String {
        switch (self.from, self.to) {
        case (let from?, let to?):
            if let lastDays { return "in the last \(lastDays) day\(lastDays == 1 ? "" : "s") (\(from) to \(to))" }
            return "between \(from) and \(to)"
        case (let from?, nil): return "since \(from)"
        case (nil, let to?): return "up to \(to)"
        case (nil, nil): return ""
        }
    }

    public var document: JSONValue {
        var object: [String: JSONValue] = [
            "from": self.from.map { .string($0.description) } ?? .null,
            "to": self.to.map { .string($0.description) } ?? .null,
        ]
        if let lastDays { object["last_days"] = .int(Int64(lastDays)) }
        return .object(object)
    }
}
