import Foundation

extension JSONValue {
    /// Serialises to compact JSON text with keys sorted, so output is stable for tests, caches and logs.
    ///
    /// Non-finite doubles have no JSON form and are written as `null`.
    public func serialized() -> String {
        var out = ""
        out.reserveCapacity(256)
        self.write(into: &out)
        return out
    }

    /// Serialises to UTF-8 bytes, see ``serialized()``.
    public func serializedData() -> Data {
        Data(self.serialized().utf8)
    }

    /// Parses JSON text: integers that fit `Int64` become `.int`, other numbers `.double`.
    public static func parse(_ data: Data) throws -> JSONValue {
        var parser = JSONParser([UInt8](data))
        return try parser.parseDocument()
    }

    public static func parse(_ text: String) throws -> JSONValue {
        var parser = JSONParser(Array(text.utf8))
        return try parser.parseDocument()
    }

    /// Parses JSON text keeping every number exactly: integers that fit `Int64` become `.int`, any
    /// other number `.number` with its literal text (database `json` values of any precision).
    public static func parseExact(_ text: String) throws -> JSONValue {
        var parser = JSONParser(Array(text.utf8), exactNumbers: true)
        return try parser.parseDocument()
    }

    func write(into out: inout String) {
        switch self {
        case .null:
            out += "null"
        case .bool(let b):
            out += b ? "true" : "false"
        case .int(let i):
            out += String(i)
        case .double(let d):
            out += Self.format(double: d)
        case .number(let literal):
            out += literal
        case .string(let s):
            Self.writeString(s, into: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                Self.writeString(key, into: &out)
                out += ":"
                members[key]!.write(into: &out)
            }
            out += "}"
        }
    }

    static func format(double d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 {
            return String(Int64(d))
        }
        return "\(d)"
    }

    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + String(format: "%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
