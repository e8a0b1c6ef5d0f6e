/// Level 0 of the progressive context: the rules every answer follows, whatever the dataset.
///
/// Served as the `analytics://rules` resource and, in short, as the server's `instructions`.
public enum AnalyticsRules {
    public static let uri = "analytics://rules"

    /// What clients may put into the model's system prompt: a few lines, pointing at the rest.
    public static let instructions = """
        Survey/panel analytics over registered datasets. Start with list_datasets or search_datasets, then \
        describe_dataset (level 1, then level 2 for the tables you need). Weighted datasets: compute shares, means \
        and totals with the weight column and report bases (n, effective n). One read-only SELECT per execute_sql; \
        use run_query_plan for several queries. Raw respondent rows are capped at 5. Full rules: analytics://rules.
        """

    public static let text = """
        # Analytics rules (level 0)

        1. Only active datasets can be queried. Find one with list_datasets or search_datasets, then read \
        describe_dataset level 1 (summary and tables) and level 2 for the tables you need (columns, statistics, \
        weighting and personas). Level 3 adds up to 5 masked sample rows per table and quality notes.
        2. Weighted datasets describe people through a respondent weight. Every share, mean or total about people \
        uses it: share = SUM(w) FILTER (WHERE condition) / SUM(w); mean = SUM(w * x) / SUM(w); projected total = \
        SUM(w * x). An aggregate over a weighted table that ignores the weight is flagged UNWEIGHTED_AGGREGATE.
        3. Report bases with every figure: unweighted n and effective n = SUM(w)^2 / SUM(w^2). Segments below the \
        dataset's min_base (default 30) are not reported; below caution_base (default 100) they carry a caution.
        4. Persona merges (e.g. NCCS A1 → A) are applied in SQL before aggregating, never by relabelling results.
        5. SQL is one read-only SELECT in the PostgreSQL dialect: WITH, window functions, FILTER, GROUPING SETS, \
        LATERAL and percentile_cont are fine; writes, several statements, locking clauses and file, network or \
        admin functions are refused with a coded error and a hint.
        6. Respondent-level (non-aggregated) results are capped at 5 rows and personal data is masked: aggregate \
        instead of listing people. Every result is held to about 8k tokens and says when it was truncated.
        7. Several independent questions: run_query_plan (up to 50 queries in parallel, partial failures allowed, \
        progress after each). get_recent_queries recalls your earlier SQL for follow-ups.
        8. Errors come back as results with {"error": {"code", "message", "hint"}}: read the hint and correct the call.
        """
}
