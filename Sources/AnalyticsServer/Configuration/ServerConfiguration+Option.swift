import AnalyticsCore
import Foundation

extension ServerConfiguration {
    /// One setting, declared once: its flag name (also its config-file key), the section `serve --help`
    /// lists it in, its help text, and how a value is read and shown. The environment variable,
    /// the default shown in help and the flag syntax all derive from this declaration.
    public struct Option: Sendable {
        /// The `serve --help` sections, in the order they are listed.
        public enum Section: String, Sendable, CaseIterable {
            case server = "Server"
            case store = "Store and logging"
            case mcp = "MCP endpoint"
            case engine = "Query engine"
            case onboarding = "Jobs, onboarding and review"
            case identity = "Sign-in and OAuth"
        }

        public let name: String
        public let section: Section
        /// What the setting does and what its values mean, as one or more sentences.
        public let help: String
        /// The value's placeholder in help (`<seconds>`); nil for a flag that is on when given.
        public let valueName: String?
        /// The default as help shows it; nil when there is none worth showing.
        public let defaultText: String?
        let apply: @Sendable (inout ServerConfiguration, String) throws -> Void

        /// `MCPA_` and the name in upper case with underscores: `cache-ttl-seconds` → `MCPA_CACHE_TTL_SECONDS`.
        public var environmentName: String {
            "MCPA_" + self.name.uppercased().replacingOccurrences(of: "-", with: "_")
        }

        /// Whether the flag takes no value on the command line (`--demo`).
        public var isSwitch: Bool { self.valueName == nil }

        /// The help line: the text, then the environment variable and the default.
        public var fullHelp: String {
            let text = self.help.hasSuffix(".") ? String(self.help.dropLast()) : self.help
            return "\(text) (env \(self.environmentName)" + (self.defaultText.map { "; default \($0)" } ?? "") + ")."
        }
    }
}

extension ServerConfiguration.Option {
    typealias Configuration = ServerConfiguration

    /// An integer within `range`.
    static func integer(
        _ name: String,
        _ keyPath: any WritableKeyPath<Configuration, Int> & Sendable,
        _ range: ClosedRange<Int>,
        _ section: Section,
        value: String = "n",
        _ help: String
    ) -> Self {
        Self(name: name, section: section, help: help, valueName: value, defaultText: String(Configuration()[keyPath: keyPath])) { config, text in
            guard let number = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(number) else {
                throw Configuration.invalid(name, text, "an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            config[keyPath: keyPath] = number
        }
    }

    /// A number (of seconds, usually) within `range`.
    static func number(
        _ name: String,
        _ keyPath: any WritableKeyPath<Configuration, Double> & Sendable,
        _ range: ClosedRange<Double>,
        _ section: Section,
        value: String = "seconds",
        _ help: String
    ) -> Self {
        let shown = Configuration()[keyPath: keyPath]
        let defaultText = shown == shown.rounded() ? String(Int(shown)) : String(shown)
        return Self(name: name, section: section, help: help, valueName: value, defaultText: defaultText) { config, text in
            guard let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite, range.contains(number) else {
                throw Configuration.invalid(name, text, "a number from \(Self.plain(range.lowerBound)) to \(Self.plain(range.upperBound))")
            }
            config[keyPath: keyPath] = number
        }
    }

    /// `true`/`false` (also 1/0, yes/no, on/off); a switch is on when given without a value.
    static func boolean(
        _ name: String,
        _ keyPath: any WritableKeyPath<Configuration, Bool> & Sendable,
        _ section: Section,
        switch isSwitch: Bool,
        _ help: String
    ) -> Self {
        let defaultValue = Configuration()[keyPath: keyPath]
        return Self(
            name: name,
            section: section,
            help: help,
            valueName: isSwitch ? nil : "true|false",
            defaultText: isSwitch ? nil : String(defaultValue)
        ) { config, text in
            config[keyPath: keyPath] = try Configuration.bool(name, text)
        }
    }

    /// Text taken as given.
    static func text(
        _ name: String,
        _ keyPath: any WritableKeyPath<Configuration, String> & Sendable,
        _ section: Section,
        value: String = "text",
        _ help: String
    ) -> Self {
        Self(name: name, section: section, help: help, valueName: value, defaultText: Configuration()[keyPath: keyPath]) { config, text in
            config[keyPath: keyPath] = text
        }
    }

    /// Optional text; `shown` describes what applies when it is not set.
    static func optionalText(
        _ name: String,
        _ keyPath: any WritableKeyPath<Configuration, String?> & Sendable,
        _ section: Section,
        value: String = "text",
        shown: String? = nil,
        _ help: String
    ) -> Self {
        Self(name: name, section: section, help: help, valueName: value, defaultText: shown) { config, text in
            config[keyPath: keyPath] = text
        }
    }

    /// A comma-separated list (blanks dropped); `shown` describes what applies when it is empty.
    static func list(
        _ name: String,
        _ keyPath: any WritableKeyPath<Configuration, [String]> & Sendable,
        _ section: Section,
        value: String = "a,b",
        shown: String? = nil,
        _ help: String
    ) -> Self {
        Self(name: name, section: section, help: help, valueName: value, defaultText: shown) { config, text in
            config[keyPath: keyPath] = Configuration.list(text)
        }
    }

    private static func plain(_ number: Double) -> String {
        number == number.rounded() ? String(Int(number)) : String(number)
    }
}
