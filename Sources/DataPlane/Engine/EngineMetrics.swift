import Metrics

/// The engine's metrics (exported at `/metrics` when the server bootstraps a metrics backend).
enum EngineMetrics {
    /// `mcpa_queries_total{status, code, cached}` and `mcpa_query_duration_seconds{status, cached}`.
    static func record(status: String, code: String?, cached: Bool, durationMs: Double) {
        let cachedLabel = cached ? "true" : "false"
        Counter(label: "mcpa_queries_total", dimensions: [("status", status), ("code", code ?? "none"), ("cached", cachedLabel)]).increment()
        Timer(label: "mcpa_query_duration_seconds", dimensions: [("status", status), ("cached", cachedLabel)])
            .recordNanoseconds(Int64(durationMs * 1_000_000))
    }

    /// `mcpa_plans_total{outcome}` and `mcpa_plan_steps_total{status}`.
    static func recordPlan(_ result: PlanResultSummary) {
        Counter(label: "mcpa_plans_total", dimensions: [("outcome", result.failed == 0 ? "ok" : "partial")]).increment()
        Counter(label: "mcpa_plan_steps_total", dimensions: [("status", "ok")]).increment(by: result.succeeded)
        Counter(label: "mcpa_plan_steps_total", dimensions: [("status", "failed")]).increment(by: result.failed)
    }

    struct PlanResultSummary {
        var succeeded: Int
        var failed: Int
    }
}
