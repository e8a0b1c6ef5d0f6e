import AnalyticsCore
import DataPlane

/// What quality rules look at: the profile, the dataset's reviewed weighting config (if any), and
/// optionally a connector for checks on the data itself.
public struct QualityContext: Sendable {
    public var profile: DatasetProfile
    /// The dataset's weighting config; when nil the profile's suggestion stands in.
    public var weighting: JSONValue?
    public var connector: (any DatasetConnector)?
    public var configuration: QualityConfiguration

    public init(
        profile: DatasetProfile,
        weighting: JSONValue? = nil,
        connector: (any DatasetConnector)? = nil,
        configuration: QualityConfiguration = QualityConfiguration()
    ) {
        self.profile = profile
        self.weighting = weighting
        self.connector = connector
        self.configuration = configuration
    }

    /// The weighting config in force: reviewed, else suggested.
    var effectiveWeighting: JSONValue? {
        self.weighting ?? self.profile.suggestedWeighting
    }

    /// The table named `name` (qualified or not).
    func table(_ name: String) -> TableProfile? {
        self.profile.table(named: name)
    }
}
