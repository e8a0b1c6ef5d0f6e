/// Where a profiling run stands, reported once per table (and at start and end) so a job worker can
/// store it as the job's progress.
public struct ProfileProgress: Sendable, Hashable {
    /// 0–100.
    public var percent: Int
    public var message: String
    /// The table being profiled, as `schema.name` or `name`; nil at start and end.
    public var table: String?

    public init(percent: Int, message: String, table: String? = nil) {
        self.percent = min(100, max(0, percent))
        self.message = message
        self.table = table
    }
}

/// Receives progress; awaited, so a slow receiver slows the run rather than piling up reports.
public typealias ProfileProgressHandler = @Sendable (ProfileProgress) async -> Void
