import Testing

@testable import SQLGuard

@Suite("Parse tree reader")
struct ParseTreeReaderTests {
    func read(_ json: String, depth: Int = 100) throws -> ParseNode {
        try ParseTreeReader.read(json, maximumDepth: depth)
    }

    @Test("objects keep their field order; values of every kind are read")
    func values() throws {
        let node = try read(#" {"b": 1, "a": [true, false, null, -42, 1.5e3, "x"], "c": {}} "#)
        guard case .object(let object) = node else {
            Issue.record("not an object")
            return
        }
        #expect(object.fields.map(\.key) == ["b", "a", "c"])
        #expect(node["b"] == .integer(1))
        #expect(node["a"]?.elements == [.bool(true), .bool(false), .null, .integer(-42), .double(1500), .string("x")])
        #expect(node["c"]?.isEmptyObject == true)
        #expect(try read("9223372036854775807") == .integer(Int64.max))
        #expect(try read("-9223372036854775808") == .integer(Int64.min))
        #expect(try read("9223372036854775808") == .double(9_223_372_036_854_775_808))
    }

    @Test("string escapes, including surrogate pairs, decode to the right text")
    func escapes() throws {
        let node = try read(#"["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u4e2d", "\ud83d\ude00", "plain ü"]"#)
        #expect(node.elements.compactMap(\.stringValue) == ["a\"b\\c/d\u{8}\u{c}\n\r\t", "é中", "😀", "plain ü"])
    }

    @Test(
        "malformed documents are refused, never half-read",
        arguments: [
            "", "{", "[1,", #"{"a" 1}"#, #"{"a":1,}"#, "[1 2]", #""unterminated"#, #""bad \q escape""#, #""\u12""#,
            #""\ud83d alone""#, #""\ude00""#, "tru", "nul", "-", "1.2.3", "{} {}", "\"raw\ncontrol\"", "[1]x",
        ]
    )
    func malformed(_ json: String) {
        #expect(throws: ParseTreeReader.Failure.self) { try read(json) }
    }

    @Test("nesting beyond the limit is refused")
    func depth() throws {
        let nested = String(repeating: "[", count: 50) + String(repeating: "]", count: 50)
        #expect(try read(nested, depth: 50).elements.count == 1)
        #expect {
            try read(nested, depth: 49)
        } throws: { error in
            if case ParseTreeReader.Failure.tooDeep = error { return true }
            return false
        }
    }
}

@Suite("Location mapping")
struct LocationMapperTests {
    @Test("ASCII text: offsets, lines and columns")
    func ascii() {
        let mapper = LocationMapper("SELECT 1,\n  2\n\n3")
        #expect(mapper.location(byteOffset: 0) == SQLLocation(offset: 0, line: 1, column: 1))
        #expect(mapper.location(byteOffset: 12) == SQLLocation(offset: 12, line: 2, column: 3))
        #expect(mapper.location(byteOffset: 15) == SQLLocation(offset: 15, line: 4, column: 1))
        // Past the end clamps to the end.
        #expect(mapper.location(byteOffset: 99) == SQLLocation(offset: 16, line: 4, column: 2))
    }

    @Test("multibyte text: byte offsets become character offsets")
    func multibyte() {
        // é is 2 bytes, 中 3, 😀 4.
        let mapper = LocationMapper("é中\n😀x")
        #expect(mapper.location(byteOffset: 2) == SQLLocation(offset: 1, line: 1, column: 2))
        #expect(mapper.location(byteOffset: 5) == SQLLocation(offset: 2, line: 1, column: 3))
        #expect(mapper.location(byteOffset: 6) == SQLLocation(offset: 3, line: 2, column: 1))
        #expect(mapper.location(byteOffset: 10) == SQLLocation(offset: 4, line: 2, column: 2))
        #expect(mapper.location(characterOffset: 4) == SQLLocation(offset: 4, line: 2, column: 2))
    }
}
