/// A progress report from a writer or loader, for CLI output and logs.
public struct DemoPanelProgress: Sendable, Hashable {
    public enum Phase: String, Sendable, Hashable {
        case creatingSchema = "creating_schema"
        /// Rows are streaming into ``DemoPanelProgress/table``.
        case loading
        case indexing
        case documenting
        case analyzing
        case finished
    }

    public var phase: Phase
    /// The table being loaded, during ``Phase/loading``.
    public var table: String?
    /// Rows written to ``table`` so far.
    public var tableRows: Int
    /// Rows written to all tables so far.
    public var totalRows: Int

    public init(phase: Phase, table: String? = nil, tableRows: Int = 0, totalRows: Int = 0) {
        self.phase = phase
        self.table = table
        self.tableRows = tableRows
        self.totalRows = totalRows
    }
}

/// Receives progress reports; called on the loading task, so it should return quickly.
public typealias DemoPanelProgressHandler = @Sendable (DemoPanelProgress) -> Void
