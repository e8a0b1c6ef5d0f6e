extension DemoPanelGenerator {
    static let maximumPurchasesPerRespondent = 1_000
    /// Largest amount in paise; far inside `numeric(10,2)`.
    static let maximumAmountCents: Int64 = 25_000_000
    static let minimumAmountCents: Int64 = 1_000

    /// Brand choice by NCCS band (affluent, middle, mass): the affluent favour the premium brand.
    static let brandChoice = [
        DemoCategorical(weights: [0.50, 0.30, 0.25, 0.10]),
        DemoCategorical(weights: [0.20, 0.30, 0.30, 0.20]),
        DemoCategorical(weights: [0.08, 0.25, 0.30, 0.40]),
    ]

    /// Appends one respondent's purchases in date order, numbered from `firstID`.
    ///
    /// Larger households buy more; women buy more personal and home care, men more electronics, the
    /// young more snacks and apparel, the affluent more apparel and electronics and premium brands.
    /// Apparel and electronics peak in October–November (the festive season).
    func appendPurchases(of person: Profile, firstID: Int64, to rows: inout [DemoPurchase]) {
        var random = self.random(.purchases, respondent: person.id)
        if random.nextBool(probability: DemoVocabulary.nonBuyerShare) { return }

        let volume = random.nextLogNormalMeanOne(sigma: 0.6) * (Double(person.householdSize) / 4.3).squareRoot()
        let expected = DemoVocabulary.purchasesPerMonth * Double(self.spec.months) * volume
        let count = min(Self.maximumPurchasesPerRespondent, Int(expected + random.nextUnit()))

        let categories = DemoCategorical(weights: Self.categoryWeights(for: person))
        let brandBand = person.nccs <= 1 ? 0 : (person.nccs >= 4 ? 2 : 1)

        var purchases: [(date: DemoDay, order: Int, category: Int, brand: Int, cents: Int64)] = []
        purchases.reserveCapacity(count)
        for order in 0..<count {
            let category = categories.draw(&random)
            let festive = category == 5 || category == 6
            let date = self.drawDay(&random) { _, month in
                !festive || month == 10 || month == 11 ? 1.0 : 0.55
            }
            let brand = Self.brandChoice[brandBand].draw(&random)
            let rupees =
                DemoVocabulary.categoryMedianRupees[category] * DemoVocabulary.brandPriceFactor[brand]
                * DemoVocabulary.spendByNCCS[person.nccs] * random.nextLogNormal(median: 1, sigma: 0.5)
            let cents = min(Self.maximumAmountCents, max(Self.minimumAmountCents, Int64((rupees * 100).rounded())))
            purchases.append((date, order, category, brand, cents))
        }
        purchases.sort { ($0.date, $0.order) < ($1.date, $1.order) }

        for (offset, purchase) in purchases.enumerated() {
            rows.append(
                DemoPurchase(
                    purchaseID: firstID + Int64(offset),
                    respondentID: person.id,
                    category: DemoVocabulary.purchaseCategories[purchase.category],
                    brand: DemoVocabulary.brands[purchase.category][purchase.brand],
                    amountCents: purchase.cents,
                    purchaseDate: purchase.date
                )
            )
        }
    }

    static func categoryWeights(for person: Profile) -> [Double] {
        var weights = DemoVocabulary.categoryBase
        if person.gender == 0 {
            weights[0] *= 1.4
            weights[3] *= 1.3
        } else {
            weights[6] *= 1.5
            weights[2] *= 1.1
        }
        if person.ageBand == 0 {
            weights[1] *= 1.4
            weights[5] *= 1.3
        }
        if person.nccs <= 1 {
            weights[5] *= 1.5
            weights[6] *= 1.8
        } else if person.nccs >= 4 {
            weights[5] *= 0.7
            weights[6] *= 0.5
        }
        return weights
    }
}
