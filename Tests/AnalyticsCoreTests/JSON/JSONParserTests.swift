import Foundation
import Testing

@testable import AnalyticsCore

@Suite("JSON parser")
struct JSONParserTests {
    @Test("documents parse to the values Foundation's JSONSerialization reads, and round-trip through serialized()")
    func agreesWithFoundation() throws {
        let documents = [
            #"{"a": [1, -2, 3.5, -0.25, 1e3, 2E-2, 0, -0], "b": {"c": null, "d": true, "e": false}, "f": ""}"#,
            #"["\u00e9\u4e2d\ud83d\ude00", "tab\there", "quote\" slash\/ back\\", "\b\f\n\r"]"#,
            #"  {"nested": {"deeper": [[[]], {}]}, "unicode": "Région Nord — 25–34"}  "#,
            #""just a string""#, "42", "-7", "null", "true",
        ]
        for text in documents {
            let parsed = try JSONValue.parse(text)
            let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            #expect(Self.same(parsed, foundation), "\(text)")
            // Integral doubles are written without a fraction and read back as integers; the text is stable.
            #expect(try JSONValue.parse(parsed.serialized()).serialized() == parsed.serialized(), "round trip of \(text)")
        }
    }

    @Test("integers that fit Int64 stay exact integers; others become doubles")
    func numbers() throws {
        #expect(try JSONValue.parse("9223372036854775807") == .int(Int64.max))
        #expect(try JSONValue.parse("-9223372036854775808") == .int(Int64.min))
        #expect(try JSONValue.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try JSONValue.parse("1.0") == .double(1))
        #expect(try JSONValue.parse("-0") == .int(0))
        #expect(try JSONValue.parse("2.5e-3") == .double(0.0025))
    }

    @Test(
        "malformed text is refused with the byte offset",
        arguments: [
            "", " ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "01", "1.", ".5", "-", "1e", "+1",
            "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
            "\"raw \n newline\"", "tru", "nul", "[true false]", "{} {}", "NaN", "Infinity", "1e999", "[1]]",
        ]
    )
    func malformed(text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONValue.parse(text) }
    }

    @Test("nesting is bounded: 512 levels parse, 513 are refused without exhausting the stack")
    func depth() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSONValue.parse(ok) }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try JSONValue.parse(deep) }
    }

    @Test("a repeated key keeps its last value, as JSONDecoder did")
    func duplicateKeys() throws {
        #expect(try JSONValue.parse(#"{"a": 1, "a": 2}"#) == ["a": 2])
    }

    static func same(_ value: JSONValue, _ foundation: Any) -> Bool {
        switch value {
        case .null: return foundation is NSNull
        case .bool(let b): return (foundation as? Bool) == b
        case .int(let i): return (foundation as? NSNumber)?.doubleValue == Double(i)
        case .double(let d): return (foundation as? NSNumber)?.doubleValue == d
        case .number: return false
        case .string(let s): return (foundation as? String) == s
        case .array(let a):
            guard let other = foundation as? [Any], other.count == a.count else { return false }
            return zip(a, other).allSatisfy { Self.same($0, $1) }
        case .object(let o):
            guard let other = foundation as? [String: Any], other.count == o.count else { return false }
            return o.allSatisfy { key, item in other[key].map { Self.same(item, $0) } ?? false }
        }
    }
}
