import Foundation

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int64.self) {
            self = .int(i)
        } else if let d = try? container.decode(Double.self) {
            self = .double(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else if let o = try? container.decode([String: JSONValue].self) {
            self = .object(o)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Not a JSON value.")
        }
    }

    /// Encodes through `Codable`. An exact `.number` stays a number when a `Decimal` or `Double` holds it
    /// without loss and becomes a string otherwise, so no digit is ever silently dropped.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .int(let i): try container.encode(i)
        case .double(let d):
            if d.isFinite { try container.encode(d) } else { try container.encodeNil() }
        case .number(let literal):
            if let d = Double(literal), d.isFinite, Self.isExact(literal, double: d) {
                try container.encode(d)
            } else {
                try container.encode(literal)
            }
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }

    /// Whether `double` prints back to the same decimal value as `literal`.
    static func isExact(_ literal: String, double: Double) -> Bool {
        guard let lhs = Decimal(string: literal), let rhs = Decimal(string: "\(double)") else { return false }
        return lhs == rhs
    }
}
