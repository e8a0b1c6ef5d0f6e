import AnalyticsCore
import MetadataStore

/// The query-log entry of one tool call (DESIGN §5.5): who, through which client, which datasets,
/// the outcome and how long it took. Calls the engine logs itself (SQL executions) are skipped
/// once the engine has taken them over, so nothing is logged twice.
struct ToolCallAudit {
    let tool: any AnalyticsTool
    let caller: CallerContext
    let requested: [String]
    let recorder: any ToolCallRecorder
    let started = ContinuousClock.now
    var context: ToolCallContext?

    init(tool: any AnalyticsTool, caller: CallerContext, requested: [String], recorder: any ToolCallRecorder) {
        self.tool = tool
        self.caller = caller
        self.requested = requested
        self.recorder = recorder
    }

    func succeeded(_ output: ToolOutput) {
        self.record(code: nil, datasets: output.datasetIDs, rows: output.rows, bytes: output.text.utf8.count)
    }

    func failed(_ code: ErrorCode) {
        self.record(code: code.rawValue, datasets: self.requested, rows: 0, bytes: 0)
    }

    private func record(code: String?, datasets: [String], rows: Int, bytes: Int) {
        if self.tool.engineLogsCalls, self.context?.engineTookOver == true { return }
        let elapsed = ContinuousClock.now - self.started
        var entry = QueryLogEntry(
            caller: self.caller,
            tool: self.tool.name,
            datasetIDs: datasets,
            errorCode: code,
            durationMs: elapsed.inMilliseconds
        )
        entry.rows = rows
        entry.bytes = bytes
        self.recorder.record(entry)
    }
}
