import AnalyticsCore
import Foundation
import MCP

extension JSONValue {
    /// The SDK's value type. An exact decimal stays a number when an `Int` or `Double` holds it without
    /// loss and becomes a string otherwise (as in the REST API), so no digit is silently dropped.
    public var mcpValue: MCP.Value {
        switch self {
        case .null: .null
        case .bool(let b): .bool(b)
        case .int(let i): .int(Int(i))
        case .double(let d): d.isFinite ? .double(d) : .null
        case .number(let literal): Self.mcpNumber(literal)
        case .string(let s): .string(s)
        case .array(let items): .array(items.map(\.mcpValue))
        case .object(let object): .object(object.mapValues(\.mcpValue))
        }
    }

    static func mcpNumber(_ literal: String) -> MCP.Value {
        if let int = Int(literal) { return .int(int) }
        if let double = Double(literal), double.isFinite, let exact = Decimal(string: literal), exact == Decimal(string: "\(double)") {
            return .double(double)
        }
        return .string(literal)
    }

    /// A `Codable` value as JSON, through the same encoder the REST API uses for its bodies.
    public init(encoding value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        self = try JSONValue.parse(encoder.encode(value))
    }

    /// Converts an argument the SDK decoded. Strings the SDK read as `data:` URLs go back to their text.
    public init(mcp value: MCP.Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(Int64(i))
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .data(let mimeType, let data):
            self = .string("data:\(mimeType ?? "application/octet-stream");base64,\(data.base64EncodedString())")
        case .array(let items): self = .array(items.map(JSONValue.init(mcp:)))
        case .object(let object): self = .object(object.mapValues(JSONValue.init(mcp:)))
        }
    }
}
