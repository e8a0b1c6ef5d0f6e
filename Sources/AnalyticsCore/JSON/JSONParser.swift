/// A strict RFC 8259 reader from UTF-8 bytes straight to ``JSONValue``.
///
/// `JSONDecoder` reaches a `JSONValue` only by trying each type in turn, and every refused try
/// builds a `DecodingError`; on registry rows (weighting configs, profiles) that was most of the
/// MCP request path's CPU. This reader looks at the next byte instead. Integers that fit `Int64`
/// become `.int`, every other number `.double` — or, with ``exactNumbers``, `.number` with its
/// literal text, so a PostgreSQL `numeric` inside a `json` column reaches the client unrounded.
/// Nesting deeper than ``maximumDepth`` is refused rather than exhausting the stack on hostile input.
struct JSONParser {
    /// Why a text is not JSON, with the byte offset where reading stopped.
    struct Failure: Error, CustomStringConvertible {
        var offset: Int
        var reason: String
        var description: String { "Not valid JSON at byte \(self.offset): \(self.reason)." }
    }

    static let maximumDepth = 512

    private let bytes: [UInt8]
    private let exactNumbers: Bool
    private var index = 0
    private var depth = 0

    init(_ bytes: [UInt8], exactNumbers: Bool = false) {
        self.bytes = bytes
        self.exactNumbers = exactNumbers
    }

    /// The one value of the document; anything but whitespace after it is an error.
    mutating func parseDocument() throws(Failure) -> JSONValue {
        let value = try self.parseValue()
        self.skipWhitespace()
        guard self.index == self.bytes.count else { throw self.failure("unexpected text after the value") }
        return value
    }

    private mutating func parseValue() throws(Failure) -> JSONValue {
        self.skipWhitespace()
        guard let byte = self.peek() else { throw self.failure("unexpected end of text") }
        switch byte {
        case UInt8(ascii: "{"): return try self.nested { (parser: inout JSONParser) throws(Failure) in try parser.parseObject() }
        case UInt8(ascii: "["): return try self.nested { (parser: inout JSONParser) throws(Failure) in try parser.parseArray() }
        case UInt8(ascii: "\""): return .string(try self.parseString())
        case UInt8(ascii: "t"): return try self.literal("true", .bool(true))
        case UInt8(ascii: "f"): return try self.literal("false", .bool(false))
        case UInt8(ascii: "n"): return try self.literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try self.parseNumber()
        default: throw self.failure("unexpected character")
        }
    }

    private mutating func nested(_ body: (inout JSONParser) throws(Failure) -> JSONValue) throws(Failure) -> JSONValue {
        self.depth += 1
        guard self.depth <= Self.maximumDepth else { throw self.failure("nested deeper than \(Self.maximumDepth) levels") }
        defer { self.depth -= 1 }
        return try body(&self)
    }

    private mutating func parseObject() throws(Failure) -> JSONValue {
        self.index += 1
        var object: [String: JSONValue] = [:]
        self.skipWhitespace()
        if self.consume(UInt8(ascii: "}")) { return .object(object) }
        while true {
            self.skipWhitespace()
            guard self.peek() == UInt8(ascii: "\"") else { throw self.failure("expected a string key") }
            let key = try self.parseString()
            self.skipWhitespace()
            guard self.consume(UInt8(ascii: ":")) else { throw self.failure("expected ':' after a key") }
            object[key] = try self.parseValue()
            self.skipWhitespace()
            if self.consume(UInt8(ascii: ",")) { continue }
            guard self.consume(UInt8(ascii: "}")) else { throw self.failure("expected ',' or '}'") }
            return .object(object)
        }
    }

    private mutating func parseArray() throws(Failure) -> JSONValue {
        self.index += 1
        var array: [JSONValue] = []
        self.skipWhitespace()
        if self.consume(UInt8(ascii: "]")) { return .array(array) }
        while true {
            array.append(try self.parseValue())
            self.skipWhitespace()
            if self.consume(UInt8(ascii: ",")) { continue }
            guard self.consume(UInt8(ascii: "]")) else { throw self.failure("expected ',' or ']'") }
            return .array(array)
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        self.index += 1
        let start = self.index
        // Fast path: no escapes, so the bytes between the quotes are the string.
        while let byte = self.peek(), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
            guard byte >= 0x20 else { throw self.failure("control character in a string") }
            self.index += 1
        }
        guard let stop = self.peek() else { throw self.failure("unterminated string") }
        var scalars = String(decoding: self.bytes[start..<self.index], as: UTF8.self)
        if stop == UInt8(ascii: "\"") {
            self.index += 1
            return scalars
        }
        var pending: [UInt8] = []
        while true {
            guard let byte = self.peek() else { throw self.failure("unterminated string") }
            self.index += 1
            switch byte {
            case UInt8(ascii: "\""):
                scalars += String(decoding: pending, as: UTF8.self)
                return scalars
            case UInt8(ascii: "\\"):
                scalars += String(decoding: pending, as: UTF8.self)
                pending.removeAll(keepingCapacity: true)
                scalars.unicodeScalars.append(try self.parseEscape())
            case 0..<0x20:
                throw self.failure("control character in a string")
            default:
                pending.append(byte)
            }
        }
    }

    private mutating func parseEscape() throws(Failure) -> Unicode.Scalar {
        guard let byte = self.peek() else { throw self.failure("unterminated escape") }
        self.index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let unit = try self.hexUnit()
            if (0xD800...0xDBFF).contains(unit) {
                guard self.consume(UInt8(ascii: "\\")), self.consume(UInt8(ascii: "u")) else {
                    throw self.failure("a high surrogate without its low half")
                }
                let low = try self.hexUnit()
                guard (0xDC00...0xDFFF).contains(low) else { throw self.failure("a high surrogate without its low half") }
                let value = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                guard let scalar = Unicode.Scalar(value) else { throw self.failure("invalid code point") }
                return scalar
            }
            guard let scalar = Unicode.Scalar(unit) else { throw self.failure("a lone low surrogate") }
            return scalar
        default:
            throw self.failure("unknown escape")
        }
    }

    private mutating func hexUnit() throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = self.peek() else { throw self.failure("short \\u escape") }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw self.failure("bad hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            self.index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(Failure) -> JSONValue {
        let start = self.index
        _ = self.consume(UInt8(ascii: "-"))
        guard let first = self.peek(), Self.isDigit(first) else { throw self.failure("a number needs digits") }
        if first == UInt8(ascii: "0") {
            self.index += 1
        } else {
            self.skipDigits()
        }
        var isInteger = true
        if self.consume(UInt8(ascii: ".")) {
            isInteger = false
            guard let next = self.peek(), Self.isDigit(next) else { throw self.failure("a fraction needs digits") }
            self.skipDigits()
        }
        if let e = self.peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            isInteger = false
            self.index += 1
            if !self.consume(UInt8(ascii: "+")) { _ = self.consume(UInt8(ascii: "-")) }
            guard let next = self.peek(), Self.isDigit(next) else { throw self.failure("an exponent needs digits") }
            self.skipDigits()
        }
        let text = String(decoding: self.bytes[start..<self.index], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .int(integer) }
        if self.exactNumbers { return .number(text) }
        guard let double = Double(text), double.isFinite else { throw self.failure("number out of range") }
        return .double(double)
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(Failure) -> JSONValue {
        let count = word.utf8CodeUnitCount
        guard self.index + count <= self.bytes.count else { throw self.failure("unexpected end of text") }
        for offset in 0..<count where self.bytes[self.index + offset] != word.utf8Start[offset] {
            throw self.failure("unexpected character")
        }
        self.index += count
        return value
    }

    private mutating func skipDigits() {
        while let byte = self.peek(), Self.isDigit(byte) { self.index += 1 }
    }

    private mutating func skipWhitespace() {
        while let byte = self.peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { self.index += 1 }
    }

    private func peek() -> UInt8? {
        self.index < self.bytes.count ? self.bytes[self.index] : nil
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard self.peek() == byte else { return false }
        self.index += 1
        return true
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private func failure(_ reason: String) -> Failure {
        Failure(offset: self.index, reason: reason)
    }
}
