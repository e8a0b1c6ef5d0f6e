import AnalyticsCore
import Foundation
import Identity
import Logging

/// Everything `serve` and `stdio` can be told, resolved as flags > `MCPA_*` environment > config file > defaults.
public struct ServerConfiguration: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// `sqlite:PATH` or `postgres://…` for the metadata store.
    public var store = "sqlite:./data/registry.sqlite"
    /// Where the demo database, the secret key file and other local state live.
    public var dataDirectory = "./data"
    public var demo = false
    public var noAuth = false
    public var logLevel: Logger.Level = .info
    public var logFormat: LogFormat = .auto
    /// Key file for connection secrets when `MCPA_SECRET_KEY` is not set; default `<data-dir>/secret.key`.
    public var secretKeyFile: String?
    /// Background jobs this process runs at once (profiling, drafting, drift checks, embeddings); 0 runs none.
    public var jobWorkers = 2
    /// Seconds a job's lease holds without a heartbeat; a dead process's job is claimed again after it.
    public var jobLeaseSeconds: Double = 60
    /// First retry delay of a failed job, doubled per attempt.
    public var jobRetryBaseSeconds: Double = 5
    /// Attempts a background job gets before it ends `failed`.
    public var jobMaxAttempts = 3
    /// Whether registering a dataset starts its onboarding (profile → quality → draft).
    public var autoOnboard = true
    /// Refuse dataset logins the credential audit warns about (superuser, write or create rights)
    /// instead of registering them with loud warnings.
    public var refusePrivilegedLogins = false
    /// Reviewers a dataset needs; above 1, nobody approves a dataset they registered or last documented.
    public var requiredReviewers = 1
    /// Hours between scheduled re-profiles (with drift checks) of active datasets; 0 turns them off.
    public var profileRefreshHours = 24
    /// Whether drift also drafts refreshed metadata, proposed on the drift's review item.
    public var refreshDraftOnDrift = false
    /// Serve `/mcp` without sessions, for replicas behind a load balancer that does not pin clients.
    public var mcpStateless = false
    /// `Host` header values `/mcp` accepts (`name`, `name:port`, `name:*`, or `*`); empty means the
    /// loopback names when bound to a loopback address and any host otherwise.
    public var mcpAllowedHosts: [String] = []
    /// Browser `Origin`s `/mcp` accepts besides same-origin (and loopback origins on a loopback host); `*` allows any.
    public var mcpAllowedOrigins: [String] = []
    /// Seconds an MCP session may sit unused (no request, no open stream) before it is ended.
    public var mcpSessionIdleSeconds = 1_800
    /// MCP sessions held at once; beyond it `initialize` is refused with 503 until one ends.
    public var mcpMaxSessions = 1_000
    /// Tools per `tools/list` page; 0 returns them all in one page.
    public var mcpToolsPageSize = 0
    /// Seconds a query result stays in the result cache; 0 turns the cache off.
    public var cacheTTLSeconds: Double = 60
    /// Memory the result cache may hold, in MiB; 0 turns it off.
    public var cacheSizeMB = 64
    /// Tokens (at 4 characters each) a query result may take; longer results are cut.
    public var resultBudgetTokens = 8_000
    /// Sub-queries one query plan may hold.
    public var maxPlanQueries = 50
    /// Days query log entries are kept before the periodic purge deletes them.
    public var queryLogRetentionDays = 90
    /// Longest a non-aggregated (row-level) query may run before it is stopped with a hint.
    public var rawQueryTimeoutMs = 5_000
    /// The embedded OAuth authorization server and browser sign-in.
    public var oauth = OAuthSettings()
    /// Where ``OAuthSettings/pinnedClientDocuments`` were read from, if anywhere.
    public var oauthClientDocumentsFile: String?
    /// Optional upstream OpenID Connect sign-in.
    public var oidc = OIDCOptions()

    public enum LogFormat: String, Sendable, CaseIterable {
        /// JSON lines when stderr is not a terminal, readable text when it is.
        case auto
        case json
        case text
    }

    public init() {}

    public var resolvedSecretKeyFile: String {
        self.secretKeyFile ?? URL(fileURLWithPath: self.dataDirectory).appendingPathComponent("secret.key").path
    }

    /// Refuses settings that are unsafe together: `--no-auth` is for a loopback host only.
    public func validate() throws {
        if self.noAuth, !Self.isLoopback(self.host) {
            throw AnalyticsError(
                .invalidRequest,
                "--no-auth is refused on host '\(self.host)': without auth anyone who can reach the port has admin rights.",
                hint: "Use --host 127.0.0.1 (or ::1, localhost) with --no-auth, or create a token with `mcp-analytics tokens create`."
            )
        }
        try self.validateIdentitySettings()
    }

    /// Whether `host` is a loopback name or address: `localhost`, `::1`, or a dotted IPv4 address in
    /// 127.0.0.0/8 (`127.attacker.example` is a DNS name, not a loopback address).
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        if h == "localhost" || h == "::1" || h == "[::1]" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { part in UInt8(part) != nil && part.allSatisfy(\.isNumber) }
    }
}

extension ServerConfiguration {
    /// Every setting `serve` takes, each declared once (see ``Option``).
    public static let options: [Option] = baseOptions + storeOptions + mcpOptions + engineOptions + onboardingOptions + identityOptions

    /// The option named `name`; settings are a closed set, so an unknown name is a programming error.
    public static func option(_ name: String) -> Option {
        guard let option = self.options.first(where: { $0.name == name }) else { preconditionFailure("no server option '\(name)'") }
        return option
    }

    static let baseOptions: [Option] = [
        .text("host", \.host, .server, value: "address", "Address to listen on."),
        .integer("port", \.port, 0...65_535, .server, value: "port", "Port to listen on; 0 picks a free one."),
        .boolean("demo", \.demo, .server, switch: true, "Create and register the bundled synthetic consumer panel on first start."),
        .boolean("no-auth", \.noAuth, .server, switch: true, "Disable bearer auth; refused unless the host is a loopback address."),
    ]

    static let storeOptions: [Option] = [
        .text("store", \.store, .store, value: "url", "Metadata store: sqlite:PATH or postgres://…."),
        .text("data-dir", \.dataDirectory, .store, value: "path", "Directory for local state: demo database, key file."),
        .optionalText(
            "secret-key-file",
            \.secretKeyFile,
            .store,
            value: "path",
            shown: "<data-dir>/secret.key",
            "Key file for connection secrets when MCPA_SECRET_KEY is unset."
        ),
        Option(
            name: "log-level",
            section: .store,
            help: Logger.Level.allCases.map(\.rawValue).joined(separator: ", ") + ".",
            valueName: "level",
            defaultText: ServerConfiguration().logLevel.rawValue
        ) { config, value in
            guard let level = Logger.Level(rawValue: value.lowercased()) else {
                throw invalid("log-level", value, Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
            }
            config.logLevel = level
        },
        Option(
            name: "log-format",
            section: .store,
            help: "auto (JSON lines unless stderr is a terminal), json or text.",
            valueName: "format",
            defaultText: ServerConfiguration().logFormat.rawValue
        ) { config, value in
            guard let format = LogFormat(rawValue: value.lowercased()) else {
                throw invalid("log-format", value, LogFormat.allCases.map(\.rawValue).joined(separator: ", "))
            }
            config.logFormat = format
        },
    ]

    /// Resolves the configuration from its three sources.
    /// - Parameters:
    ///   - flags: values given on the command line, keyed by flag name without dashes (`"port"`).
    ///   - environment: the process environment (`MCPA_PORT`, …).
    ///   - configFile: path of an optional JSON file of `{"flag-name": value}`; `MCPA_CONFIG` names it when nil.
    public static func resolve(
        flags: [String: String],
        environment: [String: String],
        configFile: String? = nil
    ) throws -> ServerConfiguration {
        let known = Set(self.options.map(\.name))
        if let unknown = flags.keys.first(where: { !known.contains($0) }) {
            throw AnalyticsError.invalidRequest("Unknown option '\(unknown)'.")
        }
        let file = try self.loadFile(configFile ?? environment["MCPA_CONFIG"], known: known)
        var configuration = ServerConfiguration()
        for option in self.options {
            if let value = flags[option.name] ?? environment[option.environmentName] ?? file[option.name] {
                try option.apply(&configuration, value)
            }
        }
        try configuration.validate()
        return configuration
    }

    static func loadFile(_ path: String?, known: Set<String>) throws -> [String: String] {
        guard let path, !path.isEmpty else { return [:] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AnalyticsError.invalidRequest("Config file '\(path)' cannot be read.", hint: "Check the path given by --config or MCPA_CONFIG.")
        }
        guard let object = (try? JSONValue.parse(data))?.objectValue else {
            throw AnalyticsError(
                .malformedJSON,
                "Config file '\(path)' is not a JSON object.",
                hint: #"Write e.g. {"port": 9090, "store": "sqlite:./data/registry.sqlite"}."#
            )
        }
        var values: [String: String] = [:]
        for (key, value) in object {
            guard known.contains(key) else {
                throw AnalyticsError.invalidRequest(
                    "Config file '\(path)' has an unknown key '\(key)'.",
                    hint: "Known keys: \(known.sorted().joined(separator: ", "))."
                )
            }
            switch value {
            case .string(let s): values[key] = s
            case .bool(let b): values[key] = b ? "true" : "false"
            case .int(let i): values[key] = String(i)
            case .double(let d): values[key] = String(d)
            default: throw AnalyticsError.invalidRequest("Config file key '\(key)' must be a string, number or boolean.")
            }
        }
        return values
    }

    static func bool(_ name: String, _ value: String) throws -> Bool {
        switch value.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off", "": return false
        default: throw invalid(name, value, "true or false")
        }
    }

    static func invalid(_ name: String, _ value: String, _ expected: String) -> AnalyticsError {
        AnalyticsError.invalidRequest("Invalid value '\(value)' for \(name).", hint: "Expected \(expected).")
    }
}
