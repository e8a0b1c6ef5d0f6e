import Foundation

/// An API key for the language-model provider.
///
/// The key is wrapped so that it cannot leak by accident: string interpolation, `description`,
/// `debugDescription` and `dump` all print `[redacted]`. Only this module reads the clear value,
/// to put it in the `Authorization` header.
public struct LLMAPIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let value: String

    /// Wraps a key; surrounding whitespace is dropped and an empty key is `nil`.
    public init?(_ value: String) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        self.value = trimmed
    }

    public var description: String { "[redacted]" }
    public var debugDescription: String { "LLMAPIKey([redacted])" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// `text` with every occurrence of the key replaced by `[redacted]`.
    ///
    /// Provider error bodies sometimes echo the key (or parts of it); anything taken from a
    /// response passes through here before it reaches a log line or an error message.
    func redact(in text: String) -> String {
        text.replacingOccurrences(of: self.value, with: "[redacted]")
    }
}
