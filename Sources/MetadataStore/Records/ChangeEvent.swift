import AnalyticsCore
import Foundation

/// A registry change that other components (and other server processes) react to: reload a
/// connector, drop cached results, tell MCP sessions their tool list changed.
public struct ChangeEvent: Sendable, Codable, Hashable {
    /// Monotonic per store; listeners remember the last id they handled.
    public var id: Int64
    public var kind: Kind
    public var datasetID: String?
    public var payload: JSONValue
    public var at: Date

    public init(id: Int64, kind: Kind, datasetID: String?, payload: JSONValue, at: Date) {
        self.id = id
        self.kind = kind
        self.datasetID = datasetID
        self.payload = payload
        self.at = at
    }

    public struct Kind: RawRepresentable, Hashable, Sendable, Codable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(_ rawValue: String) { self.rawValue = rawValue }

        public static let datasetCreated = Kind("dataset.created")
        public static let datasetUpdated = Kind("dataset.updated")
        public static let datasetTransitioned = Kind("dataset.transitioned")
        public static let secretRotated = Kind("secret.rotated")
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, payload, at
        case datasetID = "dataset_id"
    }
}
