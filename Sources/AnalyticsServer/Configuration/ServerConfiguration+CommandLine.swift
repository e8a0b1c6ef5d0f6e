import AnalyticsCore

extension ServerConfiguration {
    /// What `serve` was given on its command line: settings by name, and the config file (`--config`).
    public struct CommandLine: Sendable, Equatable {
        public var flags: [String: String] = [:]
        public var configFile: String?
    }

    /// Reads `--name value`, `--name=value` and switches (`--demo`, or `--demo=false`) for every
    /// ``options`` entry, plus `--config PATH`; a later repetition wins. Unknown flags, missing values
    /// and stray words are coded errors naming the flag.
    public static func commandLine(_ arguments: [String]) throws -> CommandLine {
        var result = CommandLine()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw AnalyticsError.invalidRequest(
                    "Unexpected argument '\(argument)'.",
                    hint: "Settings are given as --name value; see serve --help."
                )
            }
            let body = argument.dropFirst(2)
            let name = String(body.prefix { $0 != "=" })
            var value = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
            let option = self.options.first { $0.name == name }
            guard name == "config" || option != nil else {
                throw AnalyticsError.invalidRequest("Unknown option '--\(name)'.", hint: self.suggestion(for: name))
            }
            if value == nil, option?.isSwitch == true { value = "true" }
            if value == nil {
                guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                    throw AnalyticsError.invalidRequest(
                        "--\(name) needs a value.",
                        hint: "Give it as --\(name) \(option.flatMap(\.valueName).map { "<\($0)>" } ?? "<path>")."
                    )
                }
                value = arguments[index]
                index += 1
            }
            if name == "config" { result.configFile = value } else { result.flags[name] = value }
        }
        return result
    }

    /// Every setting by section, as `serve --help` lists them: flag, value, help, environment, default.
    public static func settingsHelp() -> String {
        var lines: [String] = []
        for section in Option.Section.allCases {
            let options = self.options.filter { $0.section == section }
            guard !options.isEmpty else { continue }
            lines.append(section.rawValue.uppercased() + ":")
            for option in options {
                lines.append("  --" + option.name + (option.valueName.map { " <\($0)>" } ?? ""))
                lines.append("        " + option.fullHelp)
            }
            lines.append("")
        }
        lines.append("  --config <path>")
        lines.append("        JSON config file of {\"option-name\": value} (env MCPA_CONFIG).")
        return lines.joined(separator: "\n")
    }

    private static func suggestion(for name: String) -> String {
        let close = self.options.map(\.name).filter { candidate in
            candidate.hasPrefix(String(name.prefix(4))) || name.hasPrefix(String(candidate.prefix(4)))
        }
        guard !close.isEmpty else { return "See serve --help for every setting." }
        return "Did you mean " + close.prefix(3).map { "--" + $0 }.joined(separator: ", ") + "?"
    }
}
