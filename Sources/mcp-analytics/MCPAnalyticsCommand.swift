import AnalyticsCore
import ArgumentParser

@main
struct MCPAnalyticsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp-analytics",
        abstract: "MCP server for survey-weighted analytics over registered PostgreSQL and SQLite datasets.",
        version: BuildInfo.version,
        subcommands: [
            ServeCommand.self,
            StdioCommand.self,
            MigrateCommand.self,
            DatasetsCommand.self,
            TokensCommand.self,
            UsersCommand.self,
            SecretsCommand.self,
            DemoDataCommand.self,
            BenchCommand.self,
        ]
    )
}
