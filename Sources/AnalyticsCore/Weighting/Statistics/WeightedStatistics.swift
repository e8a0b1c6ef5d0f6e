/// The weighting arithmetic of DESIGN §5.2, in one place.
///
/// - weighted share p = Σ_{S∩C} w / Σ_S w; weighted mean m = Σ_S w·x / Σ_S w; total T = Σ_S w·x;
/// - effective base n_eff = (Σ w)² / Σ w² (Kish), the sample size an unweighted sample of equal
///   precision would need — unequal weights make it smaller than n;
/// - 95% interval for a share ≈ p ± 1.96·√(p(1−p)/n_eff), clamped to [0, 1];
/// - n < min_base withholds the value (`suppressed`), n < caution_base flags it (`caution`).
public enum WeightedStatistics {
    /// The two-sided 95% normal quantile.
    public static let z95 = 1.96

    /// Kish's effective sample size; 0 when there is no weight.
    public static func effectiveN(sumW: Double, sumW2: Double) -> Double {
        sumW2 > 0 ? sumW * sumW / sumW2 : 0
    }

    /// The 95% interval of a share with effective base `effectiveN`; nil without a base.
    public static func shareInterval(share p: Double, effectiveN: Double) -> ShareInterval? {
        guard effectiveN > 0, p.isFinite else { return nil }
        let margin = self.z95 * (max(0, p * (1 - p)) / effectiveN).squareRoot()
        return ShareInterval(margin: margin, low: max(0, p - margin), high: min(1, p + margin))
    }

    /// Every figure of one row from its group's sums.
    ///
    /// For `per_user` the base is the reached respondents (n = reached, W = Σ w over them); for
    /// the other measures it is the whole segment. A zero weighted base gives no value.
    public static func estimate(_ kind: BreakdownMeasure.Kind, _ group: GroupAggregate, minBase: Int, cautionBase: Int) -> BreakdownEstimate {
        let perUser = kind == .perUser
        let n = perUser ? group.nHit : group.n
        let sumW = perUser ? group.sumWHit : group.sumW
        let sumW2 = perUser ? group.sumW2Hit : group.sumW2
        let effective = self.effectiveN(sumW: sumW, sumW2: sumW2)
        let suppressed = n < minBase
        var value: Double?
        var interval: ShareInterval?
        var weightedCount: Double?
        switch kind {
        case .share:
            weightedCount = group.sumWHit
            if sumW > 0 {
                let share = group.sumWHit / sumW
                value = share
                interval = self.shareInterval(share: share, effectiveN: effective)
            }
        case .mean, .perUser:
            value = sumW > 0 ? group.sumWX / sumW : nil
        case .total:
            value = group.sumWX
        }
        return BreakdownEstimate(
            value: suppressed ? nil : value,
            weightedBase: sumW,
            unweightedN: n,
            effectiveN: effective,
            weightedCount: suppressed ? nil : weightedCount,
            interval: suppressed ? nil : interval,
            suppressed: suppressed,
            caution: n < cautionBase
        )
    }
}

/// A share's 95% interval: `margin` is the half-width (1.96·√(p(1−p)/n_eff)), `low`/`high` the clamped bounds.
public struct ShareInterval: Sendable, Hashable {
    public var margin: Double
    public var low: Double
    public var high: Double

    public init(margin: Double, low: Double, high: Double) {
        self.margin = margin
        self.low = low
        self.high = high
    }
}

/// The figures of one breakdown row before it gets labels and a narrative.
public struct BreakdownEstimate: Sendable, Hashable {
    /// The share (0…1), mean or total; nil when suppressed or the weights sum to zero.
    public var value: Double?
    /// W = Σ w over the base.
    public var weightedBase: Double
    /// n, respondents in the base.
    public var unweightedN: Int
    /// Kish's n_eff of the base.
    public var effectiveN: Double
    /// Shares only: Σ w over respondents meeting the condition (the projected count).
    public var weightedCount: Double?
    /// Shares only.
    public var interval: ShareInterval?
    public var suppressed: Bool
    public var caution: Bool
}
