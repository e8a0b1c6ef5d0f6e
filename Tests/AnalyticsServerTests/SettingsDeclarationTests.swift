import AnalyticsCore
import AnalyticsServer
import Testing

/// Every server setting is declared once; flags, environment names, file keys, defaults and help
/// all come from that declaration.
@Suite("Settings declared once")
struct SettingsDeclarationTests {
    @Test("every setting has a unique name, help text and an MCPA_ environment name, and serve --help lists it")
    func everySettingIsDocumented() {
        let options = ServerConfiguration.options
        #expect(options.count >= 40)
        #expect(Set(options.map(\.name)).count == options.count, "names are unique")
        let help = ServerConfiguration.settingsHelp()
        for option in options {
            #expect(option.help.count >= 10, "\(option.name) has help")
            #expect(option.environmentName == "MCPA_" + option.name.uppercased().replacingOccurrences(of: "-", with: "_"))
            #expect(option.fullHelp.contains("(env \(option.environmentName)"), "\(option.name)")
            #expect(help.contains("--\(option.name)"), "serve --help lists \(option.name)")
            #expect(help.contains(option.fullHelp), "serve --help shows \(option.name)'s help")
        }
        // Defaults in help are read from the configuration itself, not written twice.
        #expect(ServerConfiguration.option("port").fullHelp.hasSuffix("(env MCPA_PORT; default \(ServerConfiguration().port))."))
        #expect(ServerConfiguration.option("cache-ttl-seconds").defaultText == "60")
        #expect(ServerConfiguration.option("demo").isSwitch && ServerConfiguration.option("demo").defaultText == nil)
    }

    @Test("the command line reads --name value, --name=value and switches; config names the file")
    func commandLine() throws {
        let line = try ServerConfiguration.commandLine([
            "--port", "9090", "--cache-ttl-seconds=0", "--demo", "--no-auth=false", "--config", "/tmp/c.json", "--mcp-allowed-hosts", "a,b",
        ])
        #expect(line.flags == ["port": "9090", "cache-ttl-seconds": "0", "demo": "true", "no-auth": "false", "mcp-allowed-hosts": "a,b"])
        #expect(line.configFile == "/tmp/c.json")
        let configuration = try ServerConfiguration.resolve(flags: line.flags, environment: [:])
        #expect(configuration.port == 9090 && configuration.cacheTTLSeconds == 0 && configuration.demo && !configuration.noAuth)
        #expect(configuration.mcpAllowedHosts == ["a", "b"])
        #expect(try ServerConfiguration.commandLine(["--port", "1", "--port", "2"]).flags["port"] == "2", "the last one wins")
    }

    @Test("unknown flags, missing values, stray words and out-of-range values are coded errors naming the setting")
    func badCommandLines() throws {
        let cases: [([String], String)] = [
            (["--prot", "80"], "--prot"),
            (["--port"], "--port needs a value"),
            (["--port", "--demo"], "--port needs a value"),
            (["8080"], "'8080'"),
            (["-p", "80"], "'-p'"),
        ]
        for (arguments, fragment) in cases {
            let error = #expect(throws: AnalyticsError.self, "\(arguments)") { try ServerConfiguration.commandLine(arguments) }
            #expect(error?.code == .invalidRequest)
            #expect(error?.message.contains(fragment) == true, "\(arguments): \(error?.message ?? "")")
        }
        let suggestion = #expect(throws: AnalyticsError.self) { try ServerConfiguration.commandLine(["--cache-ttl", "5"]) }
        #expect(suggestion?.hint?.contains("--cache-ttl-seconds") == true)
        for (name, value) in [("port", "70000"), ("cache-size-mb", "-1"), ("job-workers", "x"), ("session-ttl", "0"), ("demo", "maybe")] {
            let error = #expect(throws: AnalyticsError.self, "\(name)=\(value)") {
                try ServerConfiguration.resolve(flags: [name: value], environment: [:])
            }
            #expect(error?.message.contains(name) == true, "\(name): \(error?.message ?? "")")
        }
    }
}
