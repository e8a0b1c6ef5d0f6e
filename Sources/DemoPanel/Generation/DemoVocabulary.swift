/// The demo panel's categories, in display order, and the joint distributions that tie them together.
///
/// Shapes follow an Indian consumer panel: NCCS class depends on city tier (A1 is rare, and almost
/// absent in rural areas), genre tastes depend on gender and age, spending on NCCS class. Channel and
/// brand names are invented. Indices into these arrays are what the generator draws; the strings are
/// what lands in the tables.
public enum DemoVocabulary {
    public static let genders = ["Female", "Male"]
    public static let ageBands = ["15-24", "25-34", "35-44", "45-54", "55+"]
    /// Raw NCCS classes as stored; the weighting config merges A1→A and C, D, E→C/D/E.
    public static let nccsClasses = ["A1", "A", "B", "C", "D", "E"]
    public static let regions = ["North", "South", "East", "West"]
    public static let cityTiers = ["Metro", "Tier 1", "Tier 2", "Tier 3", "Rural"]
    public static let genres = ["Sports", "News", "Movies", "Drama", "Kids", "Music", "Reality", "Devotional"]
    /// Channels per genre, same order as ``genres``.
    public static let channels: [[String]] = [
        ["Arena Sports", "Stadium One", "Cricket Live", "Goal TV"],
        ["Nation News 24", "Headline Now", "Samachar Live", "Business Pulse"],
        ["Cine Gold", "Filmy Plex", "Silver Screen", "Action Zone"],
        ["Ghar Serial", "Rishtey Plus", "Kahani TV", "Drama Box"],
        ["Toon Town", "Kiddo", "Cartoon Nation"],
        ["Beat Box", "Melody Vision", "Taal Music"],
        ["Show Time", "Real Life TV", "Talent Stage"],
        ["Bhakti Vani", "Shanti Darshan", "Divine TV"],
    ]
    public static let purchaseCategories = ["Personal Care", "Snacks", "Beverages", "Home Care", "Dairy", "Apparel", "Electronics"]
    /// Brands per category, premium first and value last; same order as ``purchaseCategories``.
    public static let brands: [[String]] = [
        ["Lumina", "Glow & Co", "FreshLeaf", "Daily Care"],
        ["Crunchos", "Masala Munch", "Chatpata", "Bite Basics"],
        ["Chai Royale", "Fizzup", "Nimbu Fresh", "Value Sip"],
        ["Sparkle Pro", "Shine Bright", "CleanMax", "Budget Clean"],
        ["Amrit Gold", "Doodh Dhara", "Fresh Farm", "Gokul Daily"],
        ["Urban Loom", "Kurta House", "Threadline", "Everyday Wear"],
        ["Voltix", "Nexa Tech", "Sonara", "Budget Bytes"],
    ]

    // MARK: Respondent distributions

    static let gender = DemoCategorical(weights: [0.49, 0.51])
    static let ageBand = DemoCategorical(weights: [0.22, 0.24, 0.20, 0.16, 0.18])
    static let region = DemoCategorical(weights: [0.28, 0.26, 0.22, 0.24])
    /// City tier given region (North, South, East, West).
    static let cityTierByRegion = [
        DemoCategorical(weights: [0.20, 0.18, 0.22, 0.18, 0.22]),
        DemoCategorical(weights: [0.22, 0.20, 0.24, 0.16, 0.18]),
        DemoCategorical(weights: [0.12, 0.14, 0.20, 0.20, 0.34]),
        DemoCategorical(weights: [0.28, 0.20, 0.22, 0.14, 0.16]),
    ]
    /// NCCS class given city tier: A1 is a few percent in metros and a fraction of a percent in villages.
    static let nccsByCityTier = [
        DemoCategorical(weights: [0.070, 0.30, 0.28, 0.18, 0.11, 0.060]),
        DemoCategorical(weights: [0.040, 0.24, 0.28, 0.22, 0.14, 0.080]),
        DemoCategorical(weights: [0.020, 0.16, 0.26, 0.26, 0.19, 0.110]),
        DemoCategorical(weights: [0.010, 0.10, 0.22, 0.28, 0.24, 0.150]),
        DemoCategorical(weights: [0.003, 0.05, 0.15, 0.27, 0.30, 0.227]),
    ]
    /// Mean household size by NCCS class; rural households add one person.
    static let householdSizeByNCCS = [3.4, 3.6, 4.0, 4.5, 4.9, 5.2]

    /// Panel recruitment under-covers young men, the lower classes and villages and over-covers the
    /// affluent; the weight's design factor corrects that (before the random raking noise).
    static func weightFactor(gender: Int, ageBand: Int, nccs: Int, cityTier: Int) -> Double {
        var factor = 1.0
        if gender == 1 && ageBand == 0 { factor *= 1.6 }
        if ageBand == 4 { factor *= 0.85 }
        if nccs <= 1 { factor *= 0.8 }
        if nccs >= 4 { factor *= 1.3 }
        if cityTier == 4 { factor *= 1.2 }
        return factor
    }

    /// E[weightFactor] over the joint distribution, so weights average 1 before trimming.
    static let meanWeightFactor: Double = {
        var total = 0.0
        for r in 0..<region.count {
            for t in 0..<cityTiers.count {
                let pRT = region.probability(r) * cityTierByRegion[r].probability(t)
                for n in 0..<nccsClasses.count {
                    let pRTN = pRT * nccsByCityTier[t].probability(n)
                    for g in 0..<genders.count {
                        for a in 0..<ageBands.count {
                            let p = pRTN * gender.probability(g) * ageBand.probability(a)
                            total += p * weightFactor(gender: g, ageBand: a, nccs: n, cityTier: t)
                        }
                    }
                }
            }
        }
        return total
    }()

    // MARK: Viewing distributions

    static let genreBase = [0.14, 0.14, 0.18, 0.20, 0.06, 0.08, 0.10, 0.10]
    /// Genre taste multipliers by gender (Female, Male).
    static let genreByGender: [[Double]] = [
        [0.55, 0.85, 0.95, 1.90, 1.25, 1.00, 1.35, 1.30],
        [2.10, 1.30, 1.10, 0.45, 0.75, 0.95, 0.75, 0.70],
    ]
    /// Genre taste multipliers by age band.
    static let genreByAge: [[Double]] = [
        [1.30, 0.45, 1.25, 0.70, 0.60, 2.20, 1.70, 0.30],
        [1.20, 0.80, 1.15, 0.95, 1.30, 1.20, 1.20, 0.55],
        [1.00, 1.05, 1.00, 1.10, 1.40, 0.85, 0.95, 0.90],
        [0.85, 1.35, 0.85, 1.15, 0.80, 0.70, 0.75, 1.50],
        [0.65, 1.80, 0.70, 1.10, 0.50, 0.55, 0.55, 2.60],
    ]
    /// Chance a respondent watches no TV at all in the window, by age band.
    static let nonViewerByAge = [0.12, 0.08, 0.06, 0.05, 0.04]
    /// Viewing volume multiplier by age band.
    static let viewingVolumeByAge = [0.80, 0.90, 1.00, 1.10, 1.25]
    /// Viewing sessions per viewer per month before personal and age variation.
    static let sessionsPerMonth = 7.5
    static let channelShare = channels.map { names in
        DemoCategorical(weights: names.indices.map { 1.0 / Double($0 + 2) })
    }
    /// Session length medians in minutes, per genre.
    static let sessionMedianMinutes = [48.0, 18.0, 75.0, 28.0, 24.0, 14.0, 38.0, 20.0]

    /// Hour-of-day profile per genre: an evening prime-time peak for all, morning news, afternoon kids,
    /// early-morning devotional.
    static let hourByGenre: [DemoCategorical] = {
        let base: [Double] = [
            1.0, 0.5, 0.3, 0.2, 0.3, 0.8, 2.0, 3.5, 4.0, 3.0, 2.5, 2.5,
            3.0, 3.5, 3.0, 3.0, 3.5, 4.5, 6.0, 8.5, 10.0, 10.5, 8.0, 4.0,
        ]
        return genres.indices.map { genre in
            DemoCategorical(
                weights: base.indices.map { hour in
                    var w = base[hour]
                    switch (genre, hour) {
                    case (0, 19...23): w *= 1.3
                    case (1, 7...9), (1, 20...21): w *= 2.0
                    case (4, 14...18): w *= 3.0
                    case (4, 21...23), (4, 0...5): w *= 0.2
                    case (5, 9...12): w *= 1.5
                    case (7, 5...8): w *= 4.0
                    case (7, 20...23): w *= 0.5
                    default: break
                    }
                    return w
                }
            )
        }
    }()

    // MARK: Purchase distributions

    static let categoryBase = [0.18, 0.22, 0.18, 0.12, 0.20, 0.06, 0.04]
    static let nonBuyerShare = 0.05
    static let purchasesPerMonth = 1.4
    /// Median basket value in rupees per category.
    static let categoryMedianRupees = [180.0, 50.0, 80.0, 240.0, 65.0, 1_100.0, 3_800.0]
    /// Price multiplier by brand position (premium … value).
    static let brandPriceFactor = [1.6, 1.1, 0.95, 0.7]
    /// Spend multiplier by NCCS class.
    static let spendByNCCS = [1.3, 1.15, 1.0, 0.9, 0.85, 0.8]
}
