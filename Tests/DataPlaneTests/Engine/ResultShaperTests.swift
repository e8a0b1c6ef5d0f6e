import AnalyticsCore
import Testing

@testable import DataPlane

@Suite("Result shaping")
struct ResultShaperTests {
    static let samples: [JSONValue] = [
        .null, true, false, 0, 7, -7, 1_234_567_890, .int(.max), .int(.min),
        1.5, -0.25, 1e20, 3.0, .double(.nan), .double(.infinity), 123_456_789_012_345.0,
        .number("12345678901234567890.0123456789"), "", "plain", "quote \" and \\ backslash",
        "new\nline\ttab\r\u{08}\u{0C}", "control \u{01}\u{1F}", "ünïcödé ✓ 🎉", "é\u{301}",
        [1, "a", nil, [true]], ["b": 1, "a": ["x": "y\n"]], [:], [],
    ]

    @Test("the counted JSON length equals the serialised length", arguments: samples)
    func lengthMatchesSerialisation(value: JSONValue) {
        #expect(JSONLength.of(value) == value.serialized().utf8.count, "\(value.serialized())")
    }

    @Test("a result within budget is kept whole; over budget, a prefix of whole rows is kept")
    func cut() {
        let columns = [ColumnInfo(name: "n", type: "int4"), ColumnInfo(name: "text", type: "text")]
        let rows: [[JSONValue]] = (1...50).map { [.int(Int64($0)), .string(String(repeating: "x", count: 80))] }
        let roomy = ResultShaper(budget: 100_000).shape(columns: columns, rows: rows)
        #expect(roomy.rows.count == 50 && !roomy.cut && roomy.warning == nil)
        #expect(roomy.bytes == ResultShaper.size(of: columns) + rows.map { JSONLength.of(.array($0)) + 1 }.reduce(0, +))

        let tight = ResultShaper(budget: 3_000).shape(columns: columns, rows: rows)
        #expect(tight.cut && tight.warning?.code == "RESULT_BUDGET")
        #expect(tight.rows == Array(rows.prefix(tight.rows.count)))
        #expect(tight.rows.count > 0 && tight.rows.count < 50)
        let used = ResultShaper.size(of: columns) + ResultShaper.envelopeReserve + tight.rows.map { JSONLength.of(.array($0)) + 1 }.reduce(0, +)
        #expect(used <= 3_000)
        #expect(used + JSONLength.of(.array(rows[tight.rows.count])) + 1 > 3_000, "the next row would not have fit")
    }
}
