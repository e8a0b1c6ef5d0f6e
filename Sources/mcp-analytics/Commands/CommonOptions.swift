import AnalyticsCore
import AnalyticsServer
import ArgumentParser
import Foundation
import Logging

/// Options every command that touches the store shares.
struct StoreOptions: ParsableArguments {
    @Option(help: Self.help("store"))
    var store: String?

    @Option(name: .customLong("data-dir"), help: Self.help("data-dir"))
    var dataDir: String?

    @Option(name: .customLong("secret-key-file"), help: Self.help("secret-key-file"))
    var secretKeyFile: String?

    @Option(help: "JSON config file of {\"option-name\": value} (env MCPA_CONFIG).")
    var config: String?

    @Option(name: .customLong("log-level"), help: Self.help("log-level"))
    var logLevel: String?

    @Option(name: .customLong("log-format"), help: Self.help("log-format"))
    var logFormat: String?

    /// Help from the setting's one declaration (``ServerConfiguration/options``).
    static func help(_ name: String) -> ArgumentHelp {
        ArgumentHelp(ServerConfiguration.option(name).fullHelp)
    }

    var flags: [String: String] {
        var flags: [String: String] = [:]
        flags["store"] = self.store
        flags["data-dir"] = self.dataDir
        flags["secret-key-file"] = self.secretKeyFile
        flags["log-level"] = self.logLevel
        flags["log-format"] = self.logFormat
        return flags
    }

    func resolve(extra: [String: String] = [:]) throws -> ServerConfiguration {
        try ServerConfiguration.resolve(
            flags: self.flags.merging(extra) { _, new in new },
            environment: ProcessInfo.processInfo.environment,
            configFile: self.config
        )
    }
}

/// Logging set-up shared by commands: once per process, to stderr.
enum CommandLogging {
    static func bootstrap(_ configuration: ServerConfiguration) -> Logger {
        StructuredLogHandler.bootstrap(format: configuration.logFormat, level: configuration.logLevel)
        return Logger(label: "mcp-analytics")
    }
}

/// Prints a coded error the way the API would, and exits non-zero.
struct CommandFailure: Error, CustomStringConvertible {
    let error: AnalyticsError
    var description: String {
        "error: \(self.error.code.rawValue): \(self.error.message)" + (self.error.hint.map { "\nhint: \($0)" } ?? "")
    }
}

extension AsyncParsableCommand {
    /// Runs `body`, turning `AnalyticsError` into a readable failure with its code.
    func reportingErrors(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as AnalyticsError {
            throw CommandFailure(error: error)
        }
    }
}
