import AnalyticsCore

/// A reason found during the walk to refuse the statement; turned into an ``AnalyticsError`` once
/// the walk is done and the first reason by severity and position is known.
struct Violation: Sendable {
    enum Kind: Int, Sendable, Comparable {
        case notReadOnly = 0
        case forbiddenFunction = 1
        case forbiddenRelation = 2

        static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    var kind: Kind
    /// Byte offset in the SQL text; when `nil`, the start of `level` stands in for it.
    var byteLocation: Int?
    var level: Int?
    /// What was found, without the position (added when the error is built).
    var message: String
    var hint: String
    var details: [String: JSONValue]
}
