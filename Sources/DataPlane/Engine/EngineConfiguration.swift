/// Server-wide settings of the ``QueryEngine``; per-dataset limits live in `DatasetSettings`.
public struct EngineConfiguration: Sendable, Hashable {
    /// Characters a result may take on the wire (rows, columns and the fields around them). The
    /// default is about 8k tokens at 4 characters per token: enough for a table an LLM can read,
    /// small enough that a client never chokes on one tool result (DESIGN §4, §5.1 layer 3).
    public var resultBudgetCharacters: Int
    /// Longest a non-aggregated (row-level) query may run, whatever the dataset's statement timeout.
    ///
    /// Row-level queries exist to show a capped sample: under the connector's `LIMIT` they return their first rows
    /// at once unless their plan must read everything first (a sort or hash over a huge table). Such a
    /// query would be a slow full scan for five rows, so it is stopped after this long and answered
    /// with `QUERY_TIMEOUT` naming the planner's row estimate and how to rewrite it.
    public var rawQueryTimeout: Duration
    /// Sub-queries a plan may hold (`max_plan_queries`); more is `PLAN_TOO_LARGE`.
    public var maxPlanQueries: Int
    /// Deadline of a plan that names none.
    public var defaultPlanDeadline: Duration
    /// Longest deadline a plan may ask for.
    public var maximumPlanDeadline: Duration
    /// How long a dataset's registry record is reused between queries. Change events drop it at
    /// once; this bounds how stale it can get when an event is late. Zero reads the registry on
    /// every query.
    public var datasetCacheTTL: Duration

    public init(
        resultBudgetCharacters: Int = 8_000 * 4,
        rawQueryTimeout: Duration = .seconds(5),
        maxPlanQueries: Int = 50,
        defaultPlanDeadline: Duration = .seconds(60),
        maximumPlanDeadline: Duration = .seconds(600),
        datasetCacheTTL: Duration = .seconds(1)
    ) {
        self.resultBudgetCharacters = max(1_000, resultBudgetCharacters)
        self.rawQueryTimeout = max(.milliseconds(100), rawQueryTimeout)
        self.maxPlanQueries = max(1, maxPlanQueries)
        self.defaultPlanDeadline = max(.milliseconds(1), defaultPlanDeadline)
        self.maximumPlanDeadline = max(self.defaultPlanDeadline, maximumPlanDeadline)
        self.datasetCacheTTL = max(.zero, datasetCacheTTL)
    }
}
