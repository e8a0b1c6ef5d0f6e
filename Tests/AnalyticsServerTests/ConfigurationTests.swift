import AnalyticsCore
import AnalyticsServer
import Foundation
import TestSupport
import Testing

@Suite("Configuration precedence")
struct ConfigurationTests {
    @Test("flags beat environment, environment beats the file, the file beats defaults")
    func precedence() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.file("config.json")
        try Data(#"{"port": 7001, "host": "127.0.0.2", "store": "sqlite:/tmp/file.sqlite", "log-level": "debug"}"#.utf8).write(
            to: URL(fileURLWithPath: file)
        )
        let environment = ["MCPA_PORT": "7002", "MCPA_STORE": "sqlite:/tmp/env.sqlite"]
        let configuration = try ServerConfiguration.resolve(flags: ["port": "7003"], environment: environment, configFile: file)
        #expect(configuration.port == 7003)
        #expect(configuration.store == "sqlite:/tmp/env.sqlite")
        #expect(configuration.host == "127.0.0.2")
        #expect(configuration.logLevel == .debug)
        #expect(configuration.dataDirectory == ServerConfiguration().dataDirectory)
        let viaEnvironmentFile = try ServerConfiguration.resolve(flags: [:], environment: ["MCPA_CONFIG": file])
        #expect(viaEnvironmentFile.port == 7001)
    }

    @Test("bad values are refused with the option named")
    func badValues() throws {
        let cases: [[String: String]] = [["port": "eighty"], ["log-level": "loud"], ["demo": "maybe"], ["port": "70000"]]
        for flags in cases {
            #expect(throws: AnalyticsError.self, "\(flags)") { try ServerConfiguration.resolve(flags: flags, environment: [:]) }
        }
        #expect(throws: AnalyticsError.self) { try ServerConfiguration.resolve(flags: [:], environment: ["MCPA_PORT": "x"]) }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.file("bad.json")
        try Data(#"{"prot": 1}"#.utf8).write(to: URL(fileURLWithPath: file))
        #expect(throws: AnalyticsError.self) { try ServerConfiguration.resolve(flags: [:], environment: [:], configFile: file) }
        try Data("not json".utf8).write(to: URL(fileURLWithPath: file))
        #expect(throws: AnalyticsError.self) { try ServerConfiguration.resolve(flags: [:], environment: [:], configFile: file) }
        #expect(throws: AnalyticsError.self) {
            try ServerConfiguration.resolve(flags: [:], environment: [:], configFile: directory.file("missing.json"))
        }
    }

    @Test("log lines mask credentials in URLs")
    func credentialMask() {
        #expect(CredentialMask.apply("connect postgres://bob:s3cret@db:5432/x failed") == "connect postgres://bob:***@db:5432/x failed")
        #expect(CredentialMask.apply("no url here") == "no url here")
        #expect(CredentialMask.apply("postgres://bob@db/x") == "postgres://bob@db/x")
        #expect(!CredentialMask.apply("a http://u:p@h/ and postgresql://v:q@k/z").contains(":p@"))
    }
}
