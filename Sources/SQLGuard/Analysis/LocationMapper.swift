/// Turns parser locations (byte offsets into the UTF-8 text) into character offsets, lines and
/// columns. Built once per statement; plain ASCII text needs no table at all.
struct LocationMapper: Sendable {
    /// Character offset of each byte, or `nil` when every byte is one character.
    private let characterByByte: [Int]?
    /// Character offsets where lines start; the first is 0.
    private let lineStarts: [Int]
    private let characterCount: Int

    init(_ text: String) {
        let utf8 = text.utf8
        var lineStarts = [0]
        if !utf8.contains(where: { $0 >= 0x80 }) {
            var offset = 0
            for byte in utf8 {
                offset += 1
                if byte == UInt8(ascii: "\n") { lineStarts.append(offset) }
            }
            self.characterByByte = nil
            self.characterCount = offset
        } else {
            var table: [Int] = []
            table.reserveCapacity(utf8.count)
            var character = -1
            for byte in utf8 {
                // Continuation bytes (10xxxxxx) belong to the character before them.
                if byte & 0xC0 != 0x80 { character += 1 }
                table.append(character)
                if byte == UInt8(ascii: "\n") { lineStarts.append(character + 1) }
            }
            self.characterByByte = table
            self.characterCount = character + 1
        }
        self.lineStarts = lineStarts
    }

    func location(byteOffset: Int) -> SQLLocation {
        let byte = max(0, byteOffset)
        let character: Int
        if let table = self.characterByByte {
            character = byte < table.count ? table[byte] : self.characterCount
        } else {
            character = min(byte, self.characterCount)
        }
        return self.location(characterOffset: character)
    }

    func location(characterOffset: Int) -> SQLLocation {
        let offset = min(max(0, characterOffset), self.characterCount)
        var low = 0
        var high = self.lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if self.lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return SQLLocation(offset: offset, line: low + 1, column: offset - self.lineStarts[low] + 1)
    }
}
