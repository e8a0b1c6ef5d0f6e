/// Names of PostgreSQL 15's built-in aggregates (`pg_proc.prokind = 'a'`).
///
/// A call is an aggregate when it has aggregate-only syntax (`*`, `DISTINCT`, `ORDER BY` in the
/// arguments, `FILTER`, `WITHIN GROUP`) or carries one of these names unqualified or qualified by
/// `pg_catalog`, and has no `OVER`. User-defined aggregates without that syntax cannot be told from
/// plain functions without the catalog.
enum AggregateCatalog {
    static let builtIn: Set<String> = [
        "array_agg", "avg", "bit_and", "bit_or", "bit_xor", "bool_and", "bool_or", "corr", "count", "covar_pop",
        "covar_samp", "cume_dist", "dense_rank", "every", "json_agg", "json_object_agg", "jsonb_agg",
        "jsonb_object_agg", "max", "min", "mode", "percent_rank", "percentile_cont", "percentile_disc", "range_agg",
        "range_intersect_agg", "rank", "regr_avgx", "regr_avgy", "regr_count", "regr_intercept", "regr_r2",
        "regr_slope", "regr_sxx", "regr_sxy", "regr_syy", "stddev", "stddev_pop", "stddev_samp", "string_agg", "sum",
        "var_pop", "var_samp", "variance", "xmlagg",
    ]

    /// The built-in aggregates whose result a survey weight changes.
    static let summarizing: Set<String> = [
        "avg", "corr", "count", "covar_pop", "covar_samp", "cume_dist", "dense_rank", "mode", "percent_rank",
        "percentile_cont", "percentile_disc", "rank", "regr_avgx", "regr_avgy", "regr_count", "regr_intercept",
        "regr_r2", "regr_slope", "regr_sxx", "regr_sxy", "regr_syy", "stddev", "stddev_pop", "stddev_samp", "sum",
        "var_pop", "var_samp", "variance",
    ]
}
