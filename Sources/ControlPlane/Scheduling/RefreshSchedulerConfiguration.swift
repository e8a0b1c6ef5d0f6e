/// When the ``RefreshScheduler`` re-profiles datasets.
public struct RefreshSchedulerConfiguration: Sendable, Hashable {
    /// Hours between re-profiles of an active dataset (a dataset's `profile_refresh_hours` setting
    /// wins); 0 turns scheduled re-profiling off.
    public var profileRefreshHours: Int
    /// How often the scheduler looks for due work.
    public var tickInterval: Duration

    public init(profileRefreshHours: Int = 24, tickInterval: Duration = .seconds(60)) {
        self.profileRefreshHours = max(profileRefreshHours, 0)
        self.tickInterval = tickInterval
    }
}
