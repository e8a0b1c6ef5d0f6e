/// How much `describe_dataset` tells (DESIGN §5.3). Level 0, the global rules, is the
/// `analytics://rules` resource and part of the server instructions.
public enum ContextLevel: Int, Sendable, CaseIterable, Comparable {
    /// Summary, weighting at a glance, coverage, and the tables with their sizes.
    case summary = 1
    /// Columns with types and statistics for the requested tables, weighting and persona config.
    case detail = 2
    /// Level 2 plus at most five sample rows per table (personal data masked) and quality notes.
    case samples = 3

    public static func < (lhs: ContextLevel, rhs: ContextLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
