import Foundation

/// Several sub-queries, possibly over several datasets, run concurrently (`run_query_plan`, `POST /api/plans`).
public struct QueryPlan: Sendable, Codable, Hashable {
    public var queries: [PlanStep]
    /// Overall deadline in milliseconds; steps still running then are cancelled and reported as such.
    public var deadlineMs: Int?

    public init(queries: [PlanStep], deadlineMs: Int? = nil) {
        self.queries = queries
        self.deadlineMs = deadlineMs
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case queries
        case deadlineMs = "deadline_ms"
    }
}

/// One step of a plan: either free SQL or a server-built weighted breakdown.
public struct PlanStep: Sendable, Codable, Hashable {
    /// Caller-chosen id, unique within the plan, used to match results.
    public var id: String
    public var datasetID: String
    public var sql: String?
    /// A `weighted_breakdown` request body (DESIGN §5.2), as JSON so the plan format stays stable.
    public var breakdown: JSONValue?
    public var limit: Int?
    public var persona: String?

    public init(id: String, datasetID: String, sql: String? = nil, breakdown: JSONValue? = nil, limit: Int? = nil, persona: String? = nil) {
        self.id = id
        self.datasetID = datasetID
        self.sql = sql
        self.breakdown = breakdown
        self.limit = limit
        self.persona = persona
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, sql, breakdown, limit, persona
        case datasetID = "dataset_id"
    }
}

/// The outcome of one plan step: a result or a coded error (partial failure is allowed).
public struct PlanStepResult: Sendable, Codable, Hashable {
    public enum Status: String, Sendable, Codable, Hashable {
        case ok
        case error
        case cancelled
    }

    public var id: String
    public var datasetID: String
    public var status: Status
    /// For `sql` steps.
    public var result: QueryResult?
    /// For `breakdown` steps: the breakdown result document.
    public var breakdown: JSONValue?
    /// `{"code", "message", "hint"}` when `status` is not `ok`.
    public var error: JSONValue?
    public var elapsedMs: Double

    public init(
        id: String,
        datasetID: String,
        status: Status,
        result: QueryResult? = nil,
        breakdown: JSONValue? = nil,
        error: JSONValue? = nil,
        elapsedMs: Double
    ) {
        self.id = id
        self.datasetID = datasetID
        self.status = status
        self.result = result
        self.breakdown = breakdown
        self.error = error
        self.elapsedMs = elapsedMs
    }

    enum CodingKeys: String, CodingKey {
        case id, status, result, breakdown, error
        case datasetID = "dataset_id"
        case elapsedMs = "elapsed_ms"
    }
}

/// All step outcomes of a plan, in the order the plan listed them.
public struct PlanResult: Sendable, Codable, Hashable {
    public var planID: String
    public var steps: [PlanStepResult]
    public var succeeded: Int
    public var failed: Int
    public var elapsedMs: Double

    public init(planID: String, steps: [PlanStepResult], elapsedMs: Double) {
        self.planID = planID
        self.steps = steps
        self.succeeded = steps.filter { $0.status == .ok }.count
        self.failed = steps.count - self.succeeded
        self.elapsedMs = elapsedMs
    }

    enum CodingKeys: String, CodingKey {
        case steps, succeeded, failed
        case planID = "plan_id"
        case elapsedMs = "elapsed_ms"
    }
}

/// Reported after each finished step, for MCP progress notifications.
public struct PlanProgress: Sendable, Hashable {
    public var completed: Int
    public var total: Int
    public var stepID: String
    public var status: PlanStepResult.Status

    public init(completed: Int, total: Int, stepID: String, status: PlanStepResult.Status) {
        self.completed = completed
        self.total = total
        self.stepID = stepID
        self.status = status
    }
}
