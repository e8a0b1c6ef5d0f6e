import PostgresNIO

/// Builds `COPY … FROM STDIN` text-format data: tab-separated fields, one row per line.
///
/// Numbers and dates are written digit by digit straight into the buffer, because formatting is
/// most of the client's work when streaming 10^7 rows. Text is escaped as the text format requires
/// (backslash, tab, newline, carriage return), so any string survives the trip.
struct DemoCopyBuffer {
    private(set) var buffer: ByteBuffer
    private var scratch: [UInt8] = []
    private var fieldsInRow = 0

    init(capacity: Int) {
        self.buffer = ByteBufferAllocator().buffer(capacity: capacity)
        self.scratch.reserveCapacity(32)
    }

    var byteCount: Int { self.buffer.readableBytes }

    /// Hands over the filled buffer and starts a new one of the same capacity.
    mutating func take() -> ByteBuffer {
        let full = self.buffer
        self.buffer = ByteBufferAllocator().buffer(capacity: max(full.capacity, 1_024))
        return full
    }

    mutating func endRow() {
        self.buffer.writeInteger(UInt8(ascii: "\n"))
        self.fieldsInRow = 0
    }

    mutating func append(_ value: Int) {
        self.separate()
        self.writeInteger(Int64(value))
    }

    mutating func append(_ value: Int64) {
        self.separate()
        self.writeInteger(value)
    }

    /// A double in Swift's shortest round-trip form, which PostgreSQL reads back to the same value.
    mutating func append(_ value: Double) {
        self.separate()
        self.buffer.writeString("\(value)")
    }

    /// A fixed-point amount with two decimals from its integer hundredths.
    mutating func append(cents: Int64) {
        self.separate()
        if cents < 0 { self.buffer.writeInteger(UInt8(ascii: "-")) }
        let magnitude = cents.magnitude
        self.writeDigits(magnitude / 100)
        self.buffer.writeInteger(UInt8(ascii: "."))
        self.buffer.writeInteger(UInt8(ascii: "0") + UInt8(magnitude % 100 / 10))
        self.buffer.writeInteger(UInt8(ascii: "0") + UInt8(magnitude % 10))
    }

    mutating func append(_ day: DemoDay) {
        self.separate()
        self.scratch.removeAll(keepingCapacity: true)
        day.appendText(to: &self.scratch)
        self.buffer.writeBytes(self.scratch)
    }

    mutating func append(_ timestamp: DemoTimestamp) {
        self.separate()
        self.scratch.removeAll(keepingCapacity: true)
        timestamp.appendText(to: &self.scratch)
        self.buffer.writeBytes(self.scratch)
    }

    mutating func append(_ text: String) {
        self.separate()
        let needsEscaping = text.utf8.contains {
            $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r")
        }
        guard needsEscaping else {
            self.buffer.writeString(text)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): self.buffer.writeBytes([UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\t"): self.buffer.writeBytes([UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case UInt8(ascii: "\n"): self.buffer.writeBytes([UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): self.buffer.writeBytes([UInt8(ascii: "\\"), UInt8(ascii: "r")])
            default: self.buffer.writeInteger(byte)
            }
        }
    }

    private mutating func separate() {
        if self.fieldsInRow > 0 { self.buffer.writeInteger(UInt8(ascii: "\t")) }
        self.fieldsInRow += 1
    }

    private mutating func writeInteger(_ value: Int64) {
        if value < 0 { self.buffer.writeInteger(UInt8(ascii: "-")) }
        self.writeDigits(value.magnitude)
    }

    private mutating func writeDigits(_ value: UInt64) {
        var width = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            width += 1
        }
        self.buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: width) { bytes in
            var rest = value
            for index in stride(from: width - 1, through: 0, by: -1) {
                bytes[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            return width
        }
    }
}
