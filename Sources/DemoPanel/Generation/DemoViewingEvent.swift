/// One row of `tv_viewing`: a viewing session of one respondent on one channel.
public struct DemoViewingEvent: Sendable, Hashable {
    public var eventID: Int64
    public var respondentID: Int
    public var channel: String
    public var genre: String
    public var startTime: DemoTimestamp
    public var minutes: Int

    public init(eventID: Int64, respondentID: Int, channel: String, genre: String, startTime: DemoTimestamp, minutes: Int) {
        self.eventID = eventID
        self.respondentID = respondentID
        self.channel = channel
        self.genre = genre
        self.startTime = startTime
        self.minutes = minutes
    }
}
