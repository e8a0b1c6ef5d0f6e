import NIOCore

/// Exact decimal text of a binary PostgreSQL `numeric`, digit for digit as PostgreSQL prints it.
///
/// The wire form is base-10000 digit groups with a weight (position of the first group), a sign and
/// a display scale; converting through `Double` or `Decimal` would round 40-digit values, so the text
/// is assembled from the groups directly.
enum PostgresNumericText {
    enum Value: Equatable {
        case finite(String)
        /// `NaN`, `Infinity` or `-Infinity`, which JSON numbers cannot express.
        case special(String)
    }

    struct Malformed: Error {}

    static func decode(_ buffer: ByteBuffer) throws -> Value {
        var buffer = buffer
        guard let (count, weight, sign, scale) = buffer.readMultipleIntegers(as: (Int16, Int16, UInt16, UInt16).self),
            count >= 0
        else { throw Malformed() }
        switch sign {
        case 0xC000: return .special("NaN")
        case 0xD000: return .special("Infinity")
        case 0xF000: return .special("-Infinity")
        case 0x0000, 0x4000: break
        default: throw Malformed()
        }
        var digits: [Int16] = []
        digits.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let digit = buffer.readInteger(as: Int16.self), (0..<10_000).contains(digit) else { throw Malformed() }
            digits.append(digit)
        }
        return .finite(self.text(digits: digits, weight: Int(weight), negative: sign == 0x4000, scale: Int(scale)))
    }

    static func text(digits: [Int16], weight: Int, negative: Bool, scale: Int) -> String {
        func group(_ index: Int) -> Int16 { index >= 0 && index < digits.count ? digits[index] : 0 }
        var text = ""
        if weight < 0 {
            text = "0"
        } else {
            text = String(group(0))
            if weight >= 1 {
                for index in 1...weight { text += Self.fourDigits(group(index)) }
            }
        }
        if scale > 0 {
            var fraction = ""
            var index = weight + 1
            while fraction.count < scale {
                fraction += Self.fourDigits(group(index))
                index += 1
            }
            text += "." + fraction.prefix(scale)
        }
        let isZero = digits.allSatisfy { $0 == 0 }
        return negative && !isZero ? "-" + text : text
    }

    static func fourDigits(_ value: Int16) -> String {
        let digits = String(value)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
