/// Reads libpg_query's JSON output into a ``ParseNode`` tree.
///
/// A purpose-built reader rather than Foundation's `JSONSerialization`: the parse tree of a
/// typical analytical query is a few kilobytes of small objects, and going through Foundation's
/// object graph cost about 95 µs for a 2.6 kB tree, several times the parse itself (release
/// build). The reader accepts the JSON libpg_query writes (objects, arrays, escaped strings,
/// integers, literals) and throws on anything malformed; objects keep their printed field order.
struct ParseTreeReader {
    enum Failure: Error {
        /// Not the JSON libpg_query writes.
        case malformed(offset: Int)
        /// Objects and arrays nested deeper than the limit.
        case tooDeep
    }

    /// The document's bytes; valid only while `read` runs. Every access checks `index` against
    /// `bytes.count` first.
    private let bytes: UnsafeBufferPointer<UInt8>
    private let maximumDepth: Int
    private var index = 0
    private var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    /// Reads a document whose objects and arrays nest at most `maximumDepth` deep; the limit
    /// bounds the recursion here and in every walk of the tree afterwards.
    static func read(_ json: String, maximumDepth: Int) throws(Failure) -> ParseNode {
        var json = json
        json.makeContiguousUTF8()
        let result = json.utf8.withContiguousStorageIfAvailable { bytes -> Result<ParseNode, Failure> in
            var reader = ParseTreeReader(bytes, maximumDepth: maximumDepth)
            do throws(Failure) {
                let value = try reader.readValue()
                reader.skipWhitespace()
                guard reader.index == reader.bytes.count else { throw .malformed(offset: reader.index) }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        guard let result else { throw .malformed(offset: 0) }
        return try result.get()
    }

    private mutating func readValue() throws(Failure) -> ParseNode {
        self.skipWhitespace()
        guard self.index < self.bytes.count else { throw .malformed(offset: self.index) }
        switch self.bytes[self.index] {
        case UInt8(ascii: "{"): return try self.readObject()
        case UInt8(ascii: "["): return try self.readArray()
        case UInt8(ascii: "\""): return .string(try self.readString())
        case UInt8(ascii: "t"): return try self.readLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try self.readLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try self.readLiteral("null", .null)
        default: return try self.readNumber()
        }
    }

    private mutating func enter() throws(Failure) {
        self.depth += 1
        guard self.depth <= self.maximumDepth else { throw .tooDeep }
        self.index += 1
    }

    private mutating func readObject() throws(Failure) -> ParseNode {
        try self.enter()
        defer { self.depth -= 1 }
        var fields: [ParseObject.Field] = []
        self.skipWhitespace()
        if self.consume(UInt8(ascii: "}")) { return .object(ParseObject(fields)) }
        repeat {
            self.skipWhitespace()
            guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\"") else {
                throw .malformed(offset: self.index)
            }
            let key = try self.readString()
            self.skipWhitespace()
            guard self.consume(UInt8(ascii: ":")) else { throw .malformed(offset: self.index) }
            fields.append(ParseObject.Field(key: key, value: try self.readValue()))
            self.skipWhitespace()
        } while self.consume(UInt8(ascii: ","))
        guard self.consume(UInt8(ascii: "}")) else { throw .malformed(offset: self.index) }
        return .object(ParseObject(fields))
    }

    private mutating func readArray() throws(Failure) -> ParseNode {
        try self.enter()
        defer { self.depth -= 1 }
        var elements: [ParseNode] = []
        self.skipWhitespace()
        if self.consume(UInt8(ascii: "]")) { return .array(elements) }
        repeat {
            elements.append(try self.readValue())
            self.skipWhitespace()
        } while self.consume(UInt8(ascii: ","))
        guard self.consume(UInt8(ascii: "]")) else { throw .malformed(offset: self.index) }
        return .array(elements)
    }

    private mutating func readString() throws(Failure) -> String {
        self.index += 1  // opening quote
        let start = self.index
        // Fast path: no escapes, the bytes are the string.
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                defer { self.index += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw .malformed(offset: self.index) }
            self.index += 1
        }
        var buffer = Array(UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]))
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            self.index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try self.readEscape(into: &buffer)
            case 0..<0x20:
                throw .malformed(offset: self.index - 1)
            default:
                buffer.append(byte)
            }
        }
        throw .malformed(offset: self.index)
    }

    private mutating func readEscape(into buffer: inout [UInt8]) throws(Failure) {
        guard self.index < self.bytes.count else { throw .malformed(offset: self.index) }
        let escape = self.bytes[self.index]
        self.index += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try self.readHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard self.consume(UInt8(ascii: "\\")), self.consume(UInt8(ascii: "u")) else {
                    throw .malformed(offset: self.index)
                }
                let low = try self.readHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw .malformed(offset: self.index) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw .malformed(offset: self.index) }
            buffer.append(contentsOf: UTF8.encode(unicode).map { Array($0) } ?? [])
        default:
            throw .malformed(offset: self.index - 1)
        }
    }

    private mutating func readHex4() throws(Failure) -> UInt32 {
        guard self.index + 4 <= self.bytes.count else { throw .malformed(offset: self.index) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = self.bytes[self.index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .malformed(offset: self.index)
            }
            value = value << 4 | UInt32(digit)
            self.index += 1
        }
        return value
    }

    private mutating func readNumber() throws(Failure) -> ParseNode {
        let start = self.index
        // Integers (all libpg_query prints: locations, constants, enum-free counts) directly.
        let negative = self.consume(UInt8(ascii: "-"))
        // Accumulated on the sign's side so Int64.min fits.
        var value: Int64 = 0
        var digits = 0
        var overflow = false
        while self.index < self.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self.bytes[self.index]) {
            let digit = Int64(self.bytes[self.index] - UInt8(ascii: "0"))
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
            overflow = overflow || overflow1 || overflow2
            value = next
            digits += 1
            self.index += 1
        }
        let ended = self.index == self.bytes.count || !Self.isNumberByte(self.bytes[self.index])
        if digits > 0, !overflow, ended { return .integer(value) }
        // Anything else numeric (fractions, exponents, huge values) through the standard library.
        while self.index < self.bytes.count, Self.isNumberByte(self.bytes[self.index]) { self.index += 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self)
        guard let double = Double(text) else { throw .malformed(offset: start) }
        return .double(double)
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
            UInt8(ascii: "e"), UInt8(ascii: "E"):
            true
        default:
            false
        }
    }

    private mutating func readLiteral(_ word: StaticString, _ value: ParseNode) throws(Failure) -> ParseNode {
        let count = word.utf8CodeUnitCount
        guard self.index + count <= self.bytes.count else { throw .malformed(offset: self.index) }
        for offset in 0..<count where self.bytes[self.index + offset] != word.utf8Start[offset] {
            throw .malformed(offset: self.index)
        }
        self.index += count
        return value
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard self.index < self.bytes.count, self.bytes[self.index] == byte else { return false }
        self.index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case 0x20, 0x09, 0x0A, 0x0D: self.index += 1
            default: return
            }
        }
    }
}
