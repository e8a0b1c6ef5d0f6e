/// Generates the synthetic consumer panel of a ``DemoPanelSpec``, lazily and deterministically.
///
/// Each table is a ``DemoRowSequence``: walking it twice yields the same rows, and nothing but the
/// current respondent's rows is held in memory. Each respondent has independent random streams for
/// attributes, viewing and purchases, so the event tables re-derive a respondent's attributes from
/// its id instead of reading the respondent table back.
public struct DemoPanelGenerator: Sendable {
    public let spec: DemoPanelSpec

    /// Validates the spec (`INVALID_REQUEST` when out of range).
    public init(spec: DemoPanelSpec) throws {
        try spec.validate()
        self.spec = spec
    }

    public var respondentCount: Int { self.spec.respondentCount }

    /// Rows of `respondents`, ids 1…``respondentCount``.
    public func respondents() -> DemoRowSequence<DemoRespondent> {
        DemoRowSequence(respondentCount: self.respondentCount) { id, _, rows in
            rows.append(self.profile(id).row)
        }
    }

    /// Rows of `tv_viewing`, grouped by respondent and in time order within each respondent.
    public func viewingEvents() -> DemoRowSequence<DemoViewingEvent> {
        DemoRowSequence(respondentCount: self.respondentCount) { id, firstID, rows in
            self.appendViewing(of: self.profile(id), firstID: firstID, to: &rows)
        }
    }

    /// Rows of `purchases`, grouped by respondent and in date order within each respondent.
    public func purchases() -> DemoRowSequence<DemoPurchase> {
        DemoRowSequence(respondentCount: self.respondentCount) { id, firstID, rows in
            self.appendPurchases(of: self.profile(id), firstID: firstID, to: &rows)
        }
    }

    /// The respondent with the given id (1…``respondentCount``), without generating the others.
    public func respondent(id: Int) -> DemoRespondent {
        self.profile(id).row
    }

    /// Independent random streams per respondent.
    enum Stream: UInt64 {
        case attributes = 1
        case viewing = 2
        case purchases = 3
    }

    func random(_ stream: Stream, respondent id: Int) -> DemoRandom {
        DemoRandom(seed: self.spec.seed, stream: stream.rawValue, index: UInt64(id))
    }

    /// A uniformly drawn day of the window, re-drawn (a bounded number of times) with the
    /// rejection probability `accept(day, month)`; used for weekday and seasonal patterns.
    func drawDay(_ random: inout DemoRandom, accept: (DemoDay, Int) -> Double) -> DemoDay {
        let start = self.spec.startDay
        let dayCount = self.spec.dayCount
        var day = start
        for _ in 0..<8 {
            day = start.adding(days: random.nextInt(below: dayCount))
            if random.nextUnit() < accept(day, day.civil.month) { return day }
        }
        return day
    }
}
