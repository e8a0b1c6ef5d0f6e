extension DemoPanelGenerator {
    /// A respondent as category indices (what the event generators condition on) plus the row.
    struct Profile {
        var id: Int
        var gender: Int
        var ageBand: Int
        var nccs: Int
        var region: Int
        var cityTier: Int
        var householdSize: Int
        var weight: Double

        var row: DemoRespondent {
            DemoRespondent(
                respondentID: self.id,
                gender: DemoVocabulary.genders[self.gender],
                ageBand: DemoVocabulary.ageBands[self.ageBand],
                nccs: DemoVocabulary.nccsClasses[self.nccs],
                region: DemoVocabulary.regions[self.region],
                cityTier: DemoVocabulary.cityTiers[self.cityTier],
                householdSize: self.householdSize,
                weight: self.weight
            )
        }
    }

    /// Lowest and highest survey weight: trimming as a weighting house would, so no respondent counts
    /// for more than 8 average respondents and none vanishes.
    static let weightRange = 0.15...8.0

    func profile(_ id: Int) -> Profile {
        var random = self.random(.attributes, respondent: id)
        let region = DemoVocabulary.region.draw(&random)
        let cityTier = DemoVocabulary.cityTierByRegion[region].draw(&random)
        let gender = DemoVocabulary.gender.draw(&random)
        let ageBand = DemoVocabulary.ageBand.draw(&random)
        let nccs = DemoVocabulary.nccsByCityTier[cityTier].draw(&random)

        let meanSize = DemoVocabulary.householdSizeByNCCS[nccs] + (cityTier == 4 ? 1 : 0)
        let householdSize = min(12, max(1, Int((meanSize + 1.5 * random.nextNormal()).rounded())))

        // Design factor for coverage, times log-normal raking noise with mean 1: a long right tail.
        let factor = DemoVocabulary.weightFactor(gender: gender, ageBand: ageBand, nccs: nccs, cityTier: cityTier)
        let raw = factor / DemoVocabulary.meanWeightFactor * random.nextLogNormalMeanOne(sigma: 0.6)
        let trimmed = min(Self.weightRange.upperBound, max(Self.weightRange.lowerBound, raw))
        let weight = (trimmed * 10_000).rounded() / 10_000

        return Profile(
            id: id,
            gender: gender,
            ageBand: ageBand,
            nccs: nccs,
            region: region,
            cityTier: cityTier,
            householdSize: householdSize,
            weight: weight
        )
    }
}
