import AnalyticsCore

/// The byte length of a value's compact JSON (``JSONValue/serialized()``) without building the text.
///
/// The size budget measures every row of every result; counting instead of serialising keeps
/// that off the allocator. It follows `JSONValue`'s writer exactly (tests hold the two together).
enum JSONLength {
    static func of(_ value: JSONValue) -> Int {
        switch value {
        case .null: return 4
        case .bool(let flag): return flag ? 4 : 5
        case .int(let number): return self.digits(number)
        case .double(let number):
            guard number.isFinite else { return 4 }
            if number == number.rounded(), abs(number) < 1e15 { return self.digits(Int64(number)) }
            return "\(number)".utf8.count
        case .number(let literal): return literal.utf8.count
        case .string(let text): return self.of(string: text)
        case .array(let items):
            var length = 2 + max(0, items.count - 1)
            for item in items { length += self.of(item) }
            return length
        case .object(let members):
            var length = 2 + max(0, members.count - 1)
            for (key, member) in members { length += self.of(string: key) + 1 + self.of(member) }
            return length
        }
    }

    /// Quotes plus bytes, plus the extra bytes of escapes (`\"`, `\\`, `\n`, … and `\u00XX`).
    static func of(string text: String) -> Int {
        var length = 2
        for byte in text.utf8 {
            switch byte {
            case 0x22, 0x5C, 0x08, 0x09, 0x0A, 0x0C, 0x0D: length += 2
            case 0x00..<0x20: length += 6
            default: length += 1
            }
        }
        return length
    }

    private static func digits(_ number: Int64) -> Int {
        if number == .min { return 20 }
        var value = number < 0 ? -number : number
        var count = number < 0 ? 2 : 1
        while value >= 10 {
            value /= 10
            count += 1
        }
        return count
    }
}
