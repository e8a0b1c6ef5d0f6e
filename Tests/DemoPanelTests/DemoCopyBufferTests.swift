import DemoPanel
import Testing

@testable import DemoPanel

@Suite("Demo panel COPY text encoding")
struct DemoCopyBufferTests {
    static func encode(_ fill: (inout DemoCopyBuffer) -> Void) -> String {
        var copy = DemoCopyBuffer(capacity: 64)
        fill(&copy)
        var buffer = copy.take()
        return buffer.readString(length: buffer.readableBytes) ?? ""
    }

    @Test("fields are tab-separated, rows end in a newline, numbers and dates print exactly")
    func fields() throws {
        let day = try DemoDay(year: 2024, month: 2, day: 29)
        let text = Self.encode { copy in
            copy.append(0)
            copy.append(Int64(-9_876_543_210))
            copy.append(cents: 123_405)
            copy.append(cents: 7)
            copy.append(0.1234)
            copy.append(day)
            copy.append(DemoTimestamp(day: day, minuteOfDay: 23 * 60 + 59))
            copy.endRow()
            copy.append(Int.max)
            copy.endRow()
        }
        #expect(text == "0\t-9876543210\t1234.05\t0.07\t0.1234\t2024-02-29\t2024-02-29 23:59:00\n\(Int.max)\n")
    }

    @Test("text escapes backslash, tab, newline and carriage return as COPY's text format requires")
    func escaping() {
        let text = Self.encode { copy in
            copy.append("plain")
            copy.append("a\\b\tc\nd\re ünï")
            copy.endRow()
        }
        #expect(text == "plain\ta\\\\b\\tc\\nd\\re ünï\n")
    }

    @Test("take() hands over the data and starts empty")
    func take() {
        var copy = DemoCopyBuffer(capacity: 16)
        copy.append("x")
        copy.endRow()
        #expect(copy.byteCount == 2)
        var first = copy.take()
        #expect(first.readString(length: first.readableBytes) == "x\n")
        #expect(copy.byteCount == 0)
    }
}
