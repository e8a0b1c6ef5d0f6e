import AnalyticsCore
import Foundation
import Logging
import Synchronization

/// The server's log handler: one JSON object per line for machines, or a readable line for a terminal.
///
/// Output goes to stderr (stdout stays free for the MCP stdio transport). As a last line of defence
/// against leaking credentials, any `scheme://user:password@` in a message or metadata value is masked.
public struct StructuredLogHandler: LogHandler {
    public enum Format: Sendable {
        case json
        case text
    }

    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    let label: String
    let format: Format

    public init(label: String, format: Format, level: Logger.Level) {
        self.label = label
        self.format = format
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = self.metadata
        if let provided = self.metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let message = CredentialMask.apply(event.message.description)
        let line: String
        switch self.format {
        case .json:
            var object: [String: JSONValue] = [
                "ts": .string(Self.timestamp()),
                "level": .string(event.level.rawValue),
                "logger": .string(self.label),
                "msg": .string(message),
            ]
            for (key, value) in merged { object[key] = .string(CredentialMask.apply(value.description)) }
            line = JSONValue.object(object).serialized()
        case .text:
            let fields = merged.keys.sorted().map { "\($0)=\(CredentialMask.apply(merged[$0]!.description))" }.joined(separator: " ")
            line = "\(Self.timestamp()) \(event.level.rawValue.uppercased()) \(self.label): \(message)\(fields.isEmpty ? "" : " " + fields)"
        }
        Self.write(line + "\n")
    }

    static let lock = Mutex(())

    static func write(_ text: String) {
        lock.withLock { _ in
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon))
    }

    /// Installs the handler process-wide; call once at start-up.
    public static func bootstrap(format: ServerConfiguration.LogFormat, level: Logger.Level) {
        let resolved: Format
        switch format {
        case .json: resolved = .json
        case .text: resolved = .text
        case .auto: resolved = isatty(STDERR_FILENO) == 1 ? .text : .json
        }
        LoggingSystem.bootstrap { label in StructuredLogHandler(label: label, format: resolved, level: level) }
    }
}

/// Masks the password of any `scheme://user:password@host` found in text.
public enum CredentialMask {
    public static func apply(_ text: String) -> String {
        guard text.contains("://") else { return text }
        var output = ""
        var rest = Substring(text)
        while let range = rest.range(of: "://") {
            output += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == " " || $0 == "\"" || $0 == "\n" }) ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                output += authority[..<colon] + ":***" + authority[at...]
                rest = rest[authorityEnd...]
            }
        }
        return output + rest
    }
}
