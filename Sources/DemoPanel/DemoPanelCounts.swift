/// Rows written per table by a writer or loader.
public struct DemoPanelCounts: Sendable, Hashable, CustomStringConvertible {
    public var respondents: Int
    public var viewingEvents: Int
    public var purchases: Int

    public init(respondents: Int = 0, viewingEvents: Int = 0, purchases: Int = 0) {
        self.respondents = respondents
        self.viewingEvents = viewingEvents
        self.purchases = purchases
    }

    public var total: Int { self.respondents + self.viewingEvents + self.purchases }

    public var description: String {
        "respondents=\(self.respondents) tv_viewing=\(self.viewingEvents) purchases=\(self.purchases)"
    }
}
