/// The OAuth scopes `/mcp` understands. Scopes narrow what a credential may do; the user's role still
/// caps it (a viewer holding `analytics:query` cannot run queries).
public enum OAuthScope {
    /// Listing, describing and searching datasets, reading resources and prompts.
    public static let read = "analytics:read"
    /// Running SQL, query plans and weighted breakdowns.
    public static let query = "analytics:query"
    /// Every scope, in the order metadata documents list them; also the default grant.
    public static let all = [read, query]

    /// Tools that run queries against a dataset need ``query``; everything else needs ``read``.
    public static let queryTools: Set<String> = ["execute_sql", "run_query_plan", "weighted_breakdown"]

    /// The scope an MCP request needs: `tools/call` of a query tool needs ``query``, any other
    /// request ``read``; notifications and responses need none.
    public static func required(method: String?, tool: String?) -> String? {
        guard let method, !method.hasPrefix("notifications/") else { return nil }
        if method == "tools/call", let tool, self.queryTools.contains(tool) { return self.query }
        return self.read
    }
}
