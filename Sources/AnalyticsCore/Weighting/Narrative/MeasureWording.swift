/// How a narrative names a measure: "watched Sports in the last 90 days", "Minutes viewed
/// (sum per respondent)", "INR".
public struct MeasureWording: Sendable, Hashable {
    /// For shares: what the counted respondents did or are ("had TV viewing with genre Sports in …").
    public var predicate: String
    /// For means, totals and per-user means: the quantity ("Minutes viewed (sum per respondent)").
    public var subject: String
    /// Unit shown after values, e.g. "minutes".
    public var unit: String?
    /// Event filters and window, e.g. " with genre Sports in the last 90 days (…)"; empty otherwise.
    public var context: String
    /// For per-user means: who the users are ("with TV viewing").
    public var reached: String

    public init(predicate: String, subject: String, unit: String?, context: String, reached: String) {
        self.predicate = predicate
        self.subject = subject
        self.unit = unit
        self.context = context
        self.reached = reached
    }
}

extension BreakdownMeasure {
    /// The wording of this measure under `config`, with the window already resolved.
    public func wording(config: WeightingConfig, window: ResolvedWindow?) -> MeasureWording {
        var context = ""
        var subject = self.column ?? ""
        var unit: String?
        var reached = ""
        var predicate = "meet " + self.conditions.map(Self.describe).joined(separator: " and ")
        if let events = self.events {
            let table = config.eventTable(named: events.table)
            let tableLabel = table?.label ?? events.table
            let filters = events.filters.keys.sorted().map { key in
                "\(key) \((events.filters[key] ?? []).map(Self.text).joined(separator: "/"))"
            }
            if !filters.isEmpty { context += " with " + filters.joined(separator: ", ") }
            if let phrase = window?.phrase, !phrase.isEmpty { context += " " + phrase }
            reached = "with \(tableLabel)"
            predicate = "had \(tableLabel)\(context)"
            let measure = events.column.flatMap { table?.measure(named: $0) }
            let name = measure?.label ?? events.column ?? ""
            switch events.aggregation ?? .count {
            case .sum:
                subject = "\(name) (sum per respondent)"
                unit = measure?.unit
            case .avg:
                subject = "\(name) (average per event, per respondent)"
                unit = measure?.unit
            case .count:
                subject = "\(tableLabel) events per respondent"
            }
        }
        return MeasureWording(
            predicate: self.label ?? predicate,
            subject: self.label ?? subject,
            unit: unit,
            context: self.kind == .share ? "" : context,
            reached: reached
        )
    }

    static func describe(_ condition: RespondentCondition) -> String {
        let values = condition.values.map(Self.text)
        switch condition.op {
        case .isNull: return "\(condition.column) is missing"
        case .notNull: return "\(condition.column) is present"
        case .isIn: return "\(condition.column) in (\(values.joined(separator: ", ")))"
        case .notIn: return "\(condition.column) not in (\(values.joined(separator: ", ")))"
        default: return "\(condition.column) \(condition.op.rawValue) \(values.first ?? "")"
        }
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): s
        case .number(let n): n
        case .int(let i): String(i)
        case .double(let d): NarrativeNumbers.decimal(d)
        case .bool(let b): b ? "true" : "false"
        default: value.serialized()
        }
    }
}
