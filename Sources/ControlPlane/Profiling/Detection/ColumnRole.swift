/// Roles the profiler suspects a column plays (``ColumnProfile/roles``).
enum ColumnRole: String, Sendable, Hashable {
    case respondentKey = "respondent_key"
    case weight
    case dimension
    case eventTime = "event_time"
    case measure
}
