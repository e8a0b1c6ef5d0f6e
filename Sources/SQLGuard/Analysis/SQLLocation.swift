/// A place in the SQL text, for error messages and for pointing at calls and columns.
///
/// Offsets count Unicode scalars (characters, as PostgreSQL's own error cursor does), not bytes.
public struct SQLLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 0-based character offset from the start of the text.
    public var offset: Int
    /// 1-based line.
    public var line: Int
    /// 1-based character column within the line.
    public var column: Int

    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    public var description: String { "line \(self.line), column \(self.column)" }
}
