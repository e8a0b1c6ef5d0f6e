import AnalyticsCore

/// Parses JSON text into `JSONValue` without rounding numbers.
///
/// `json`/`jsonb` columns hold PostgreSQL `numeric` values of any precision; `JSONDecoder` would turn
/// them into `Double`s. Here an integer that fits `Int64` becomes `.int`, any other number keeps its
/// literal text as `.number`, so what the database stored is what the client receives.
struct ExactJSONText {
    struct Malformed: Error {}

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    private static let maximumDepth = 1_000

    static func parse(_ text: String) throws -> JSONValue {
        var parser = ExactJSONText(bytes: Array(text.utf8))
        parser.skipWhitespace()
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else { throw Malformed() }
        return value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private var current: UInt8? { self.index < self.bytes.count ? self.bytes[self.index] : nil }

    private mutating func skipWhitespace() {
        while let byte = self.current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { self.index += 1 }
    }

    private mutating func expect(_ literal: String) throws {
        for byte in literal.utf8 {
            guard self.current == byte else { throw Malformed() }
            self.index += 1
        }
    }

    private mutating func value() throws -> JSONValue {
        switch self.current {
        case UInt8(ascii: "{"): return try self.object()
        case UInt8(ascii: "["): return try self.array()
        case UInt8(ascii: "\""): return .string(try self.string())
        case UInt8(ascii: "t"):
            try self.expect("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try self.expect("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try self.expect("null")
            return .null
        case .some(let byte) where byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte):
            return try self.number()
        default:
            throw Malformed()
        }
    }

    private mutating func nested<T>(_ body: (inout ExactJSONText) throws -> T) throws -> T {
        self.depth += 1
        defer { self.depth -= 1 }
        guard self.depth <= Self.maximumDepth else { throw Malformed() }
        return try body(&self)
    }

    private mutating func object() throws -> JSONValue {
        try self.nested { parser in
            parser.index += 1
            var members: [String: JSONValue] = [:]
            parser.skipWhitespace()
            if parser.current == UInt8(ascii: "}") {
                parser.index += 1
                return .object(members)
            }
            while true {
                parser.skipWhitespace()
                guard parser.current == UInt8(ascii: "\"") else { throw Malformed() }
                let key = try parser.string()
                parser.skipWhitespace()
                try parser.expect(":")
                parser.skipWhitespace()
                members[key] = try parser.value()
                parser.skipWhitespace()
                if parser.current == UInt8(ascii: ",") {
                    parser.index += 1
                    continue
                }
                try parser.expect("}")
                return .object(members)
            }
        }
    }

    private mutating func array() throws -> JSONValue {
        try self.nested { parser in
            parser.index += 1
            var items: [JSONValue] = []
            parser.skipWhitespace()
            if parser.current == UInt8(ascii: "]") {
                parser.index += 1
                return .array(items)
            }
            while true {
                parser.skipWhitespace()
                items.append(try parser.value())
                parser.skipWhitespace()
                if parser.current == UInt8(ascii: ",") {
                    parser.index += 1
                    continue
                }
                try parser.expect("]")
                return .array(items)
            }
        }
    }

    private mutating func number() throws -> JSONValue {
        let start = self.index
        var isInteger = true
        if self.current == UInt8(ascii: "-") { self.index += 1 }
        guard try self.digits() > 0 else { throw Malformed() }
        if self.current == UInt8(ascii: ".") {
            isInteger = false
            self.index += 1
            guard try self.digits() > 0 else { throw Malformed() }
        }
        if self.current == UInt8(ascii: "e") || self.current == UInt8(ascii: "E") {
            isInteger = false
            self.index += 1
            if self.current == UInt8(ascii: "+") || self.current == UInt8(ascii: "-") { self.index += 1 }
            guard try self.digits() > 0 else { throw Malformed() }
        }
        let literal = String(decoding: self.bytes[start..<self.index], as: UTF8.self)
        if isInteger, let value = Int64(literal) { return .int(value) }
        return .number(literal)
    }

    private mutating func digits() throws -> Int {
        var count = 0
        while let byte = self.current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            self.index += 1
            count += 1
        }
        return count
    }

    private mutating func string() throws -> String {
        self.index += 1
        var scalars = String.UnicodeScalarView()
        var runStart = self.index
        func flushRun(_ parser: ExactJSONText, upTo end: Int) {
            if end > runStart {
                scalars.append(contentsOf: String(decoding: parser.bytes[runStart..<end], as: UTF8.self).unicodeScalars)
            }
        }
        while true {
            guard let byte = self.current else { throw Malformed() }
            if byte == UInt8(ascii: "\"") {
                flushRun(self, upTo: self.index)
                self.index += 1
                return String(scalars)
            }
            guard byte == UInt8(ascii: "\\") else {
                self.index += 1
                continue
            }
            flushRun(self, upTo: self.index)
            self.index += 1
            guard let escaped = self.current else { throw Malformed() }
            self.index += 1
            switch escaped {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"): scalars.append(try self.unicodeEscape())
            default: throw Malformed()
            }
            runStart = self.index
        }
    }

    private mutating func hexQuad() throws -> UInt32 {
        guard self.index + 4 <= self.bytes.count,
            let value = UInt32(String(decoding: self.bytes[self.index..<self.index + 4], as: UTF8.self), radix: 16)
        else { throw Malformed() }
        self.index += 4
        return value
    }

    private mutating func unicodeEscape() throws -> Unicode.Scalar {
        let first = try self.hexQuad()
        if (0xD800..<0xDC00).contains(first) {
            try self.expect("\\u")
            let second = try self.hexQuad()
            guard (0xDC00..<0xE000).contains(second),
                let scalar = Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
            else { throw Malformed() }
            return scalar
        }
        guard let scalar = Unicode.Scalar(first) else { throw Malformed() }
        return scalar
    }
}
