/// A lazy sequence of one table's rows, produced respondent by respondent.
///
/// Only the current respondent's rows (a few hundred at most) are in memory, so a 10^7-row event
/// table streams straight into a database. Row ids are assigned consecutively in respondent order,
/// which is why the sequence is walked from the start rather than indexed.
public struct DemoRowSequence<Row: Sendable>: Sequence, Sendable {
    /// Appends the rows of one respondent, numbering them from the given first id.
    typealias Producer = @Sendable (_ respondentID: Int, _ firstRowID: Int64, _ rows: inout [Row]) -> Void

    let respondentCount: Int
    let produce: Producer

    init(respondentCount: Int, produce: @escaping Producer) {
        self.respondentCount = respondentCount
        self.produce = produce
    }

    public func makeIterator() -> Iterator {
        Iterator(respondentCount: self.respondentCount, produce: self.produce)
    }

    public struct Iterator: IteratorProtocol, Sendable {
        private let respondentCount: Int
        private let produce: Producer
        private var nextRespondent = 1
        private var nextRowID: Int64 = 1
        private var buffer: [Row] = []
        private var index = 0

        init(respondentCount: Int, produce: @escaping Producer) {
            self.respondentCount = respondentCount
            self.produce = produce
        }

        public mutating func next() -> Row? {
            while self.index == self.buffer.count {
                guard self.nextRespondent <= self.respondentCount else { return nil }
                self.buffer.removeAll(keepingCapacity: true)
                self.index = 0
                self.produce(self.nextRespondent, self.nextRowID, &self.buffer)
                self.nextRespondent += 1
                self.nextRowID += Int64(self.buffer.count)
            }
            defer { self.index += 1 }
            return self.buffer[self.index]
        }
    }
}
