import Logging
import Synchronization

/// Collects every log line (message and metadata) so tests can check what was logged.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    /// A logger at `trace` level writing into this capture.
    func logger(label: String = "test.llm") -> Logger {
        var logger = Logger(label: label) { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    var all: [String] { self.lines.withLock { $0 } }

    func append(_ line: String) {
        self.lines.withLock { $0.append(line) }
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = self.metadata.merging(event.metadata ?? [:]) { _, new in new }
            let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            self.capture.append("[\(event.level)] \(event.message) \(rendered)")
        }
    }
}
