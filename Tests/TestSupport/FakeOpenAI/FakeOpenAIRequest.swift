import AnalyticsCore

/// A request the fake received, kept so tests can assert what the client sent.
public struct FakeOpenAIRequest: Sendable {
    public var method: String
    public var path: String
    /// Header names lower-cased; repeated headers joined with `, `.
    public var headers: [String: String]
    public var body: String
    /// The body parsed as JSON, `nil` when it is not JSON.
    public var json: JSONValue?
    /// When the request had been received in full.
    public var receivedAt: ContinuousClock.Instant

    public init(method: String, path: String, headers: [String: String], body: String, receivedAt: ContinuousClock.Instant) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.json = try? JSONValue.parse(body)
        self.receivedAt = receivedAt
    }

    public var endpoint: FakeOpenAIEndpoint? { FakeOpenAIEndpoint(rawValue: self.path) }
    public var model: String? { self.json?["model"]?.stringValue }

    /// The bearer token of the `Authorization` header.
    public var apiKey: String? {
        guard let value = self.headers["authorization"], value.hasPrefix("Bearer ") else { return nil }
        return String(value.dropFirst("Bearer ".count))
    }

    /// The `content` of every chat message, in order.
    public var messageContents: [String] {
        (self.json?["messages"]?.arrayValue ?? []).compactMap { $0["content"]?.stringValue }
    }

    /// The `input` of an embeddings request (a single string counts as one input).
    public var embeddingInputs: [String] {
        if let single = self.json?["input"]?.stringValue { return [single] }
        return (self.json?["input"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    public var responseFormat: JSONValue? { self.json?["response_format"] }
}
