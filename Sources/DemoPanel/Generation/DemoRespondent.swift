/// One row of `respondents`: a panel member with the persona dimensions and a survey weight.
public struct DemoRespondent: Sendable, Hashable {
    public var respondentID: Int
    public var gender: String
    public var ageBand: String
    /// Raw NCCS class, A1 … E (merges happen in analysis, never in the data).
    public var nccs: String
    public var region: String
    public var cityTier: String
    public var householdSize: Int
    /// Survey weight: positive, mean ≈ 1, right-skewed, trimmed at 8.
    public var weight: Double

    public init(
        respondentID: Int,
        gender: String,
        ageBand: String,
        nccs: String,
        region: String,
        cityTier: String,
        householdSize: Int,
        weight: Double
    ) {
        self.respondentID = respondentID
        self.gender = gender
        self.ageBand = ageBand
        self.nccs = nccs
        self.region = region
        self.cityTier = cityTier
        self.householdSize = householdSize
        self.weight = weight
    }
}
