/// A persona dimension: a respondent column analysts slice and filter by (gender, age band, NCCS…).
///
/// Raw values in the column are *reported* after the ``merge`` map (NCCS `A1 → A`,
/// `C, D, E → C/D/E`); a raw value the map does not name is reported as itself. Merging happens in
/// SQL before aggregation, so a merged category is one row with one base, never two rows relabelled.
public struct WeightingDimension: Sendable, Hashable {
    /// One reported category with the words a persona may use for it.
    public struct Value: Sendable, Hashable {
        /// The reported value (after merges) as it appears in results and persona filters.
        public var value: String
        /// How results and narratives show it, e.g. `NCCS A` for `A`.
        public var label: String
        /// Other spellings a free-text persona may use ("women", "25 to 34", "sec a").
        public var aliases: [String]

        public init(value: String, label: String? = nil, aliases: [String] = []) {
            self.value = value
            self.label = label ?? value
            self.aliases = aliases
        }
    }

    public var column: String
    public var label: String
    /// Other names of the dimension itself ("sex" for gender), usable in `by`, `filters` and personas.
    public var aliases: [String]
    public var values: [Value]
    /// Raw value → reported value.
    public var merge: [String: String]
    /// Reported values in display order; values not listed follow in declaration order.
    public var order: [String]

    public init(
        column: String,
        label: String? = nil,
        aliases: [String] = [],
        values: [Value] = [],
        merge: [String: String] = [:],
        order: [String]? = nil
    ) {
        self.column = column
        self.label = label ?? column
        self.aliases = aliases
        self.values = values
        self.merge = merge
        self.order = order ?? values.map(\.value)
    }

    /// The reported value for a raw column value.
    public func reported(_ raw: String) -> String {
        self.merge[raw] ?? raw
    }

    /// The raw values merged into `reported` (besides `reported` itself), sorted.
    public func mergedSources(of reported: String) -> [String] {
        self.merge.filter { $0.value == reported && $0.key != reported }.map(\.key).sorted()
    }

    /// The declared value `value`, if any.
    public func value(_ value: String) -> Value? {
        self.values.first { $0.value == value }
    }

    /// How a reported value is shown: its label, or itself when undeclared; `nil` (a missing value) as "(missing)".
    public func label(for value: String?) -> String {
        guard let value else { return "(missing)" }
        return self.value(value)?.label ?? value
    }

    /// Sort position of a reported value: declared order first, then undeclared values, then missing.
    public func rank(of value: String?) -> Int {
        guard let value else { return Int.max }
        if let index = self.displayOrder.firstIndex(of: value) { return index }
        return self.displayOrder.count
    }

    /// ``order`` completed with declared values it leaves out.
    public var displayOrder: [String] {
        self.order + self.values.map(\.value).filter { !self.order.contains($0) }
    }
}
