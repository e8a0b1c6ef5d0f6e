import Foundation
import Logging
import Synchronization

/// Collects every log line (message and metadata) so tests can assert what was — and was not — logged.
public final class LogCapture: Sendable {
    let lines = Mutex<[String]>([])

    public init() {}

    public var all: [String] { self.lines.withLock { $0 } }

    /// A logger at `trace` level writing into this capture.
    public func logger(label: String = "test") -> Logger {
        Logger(label: label) { label in CapturingLogHandler(label: label, capture: self) }
    }

    func append(_ line: String) {
        self.lines.withLock { $0.append(line) }
    }
}

struct CapturingLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .trace
    let label: String
    let capture: LogCapture

    init(label: String, capture: LogCapture) {
        self.label = label
        self.capture = capture
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = self.metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let fields = merged.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        self.capture.append("\(event.level) \(self.label): \(event.message) \(fields)")
    }
}
