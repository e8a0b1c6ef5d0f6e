import Testing

/// Which database a parameterised test runs on: suites run their cases on both.
public enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    public var testDescription: String { self.rawValue }
}
