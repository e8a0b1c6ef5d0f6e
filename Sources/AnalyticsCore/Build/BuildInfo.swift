/// The product's name and version, reported by `/health`, `--version` and the MCP handshake.
public enum BuildInfo {
    public static let name = "mcp-analytics"
    public static let version = "0.1.0"
}
