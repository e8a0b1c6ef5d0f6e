/// The sums one SQL group returns, from which every figure of a breakdown row follows.
///
/// All of them add across groups, so the overall row of a breakdown is the sum of its groups —
/// exactly what one query without `GROUP BY` would return.
public struct GroupAggregate: Sendable, Hashable {
    /// Reported (merged) value per `by` dimension; nil for a missing value.
    public var keys: [String?]
    /// Respondents in the group.
    public var n: Int
    /// Σ w.
    public var sumW: Double
    /// Σ w², for Kish's effective base.
    public var sumW2: Double
    /// Σ w·x (x = the respondent's value; 0 for shares).
    public var sumWX: Double
    /// Σ w over respondents meeting the condition or reached.
    public var sumWHit: Double
    /// Respondents meeting the condition or reached.
    public var nHit: Int
    /// Σ w² over respondents meeting the condition or reached.
    public var sumW2Hit: Double

    public init(keys: [String?], n: Int, sumW: Double, sumW2: Double, sumWX: Double, sumWHit: Double, nHit: Int, sumW2Hit: Double) {
        self.keys = keys
        self.n = n
        self.sumW = sumW
        self.sumW2 = sumW2
        self.sumWX = sumWX
        self.sumWHit = sumWHit
        self.nHit = nHit
        self.sumW2Hit = sumW2Hit
    }

    /// The sums of several groups, under `keys`.
    public static func total(_ groups: [GroupAggregate], keys: [String?]) -> GroupAggregate {
        groups.reduce(GroupAggregate(keys: keys, n: 0, sumW: 0, sumW2: 0, sumWX: 0, sumWHit: 0, nHit: 0, sumW2Hit: 0)) { sum, group in
            GroupAggregate(
                keys: keys,
                n: sum.n + group.n,
                sumW: sum.sumW + group.sumW,
                sumW2: sum.sumW2 + group.sumW2,
                sumWX: sum.sumWX + group.sumWX,
                sumWHit: sum.sumWHit + group.sumWHit,
                nHit: sum.nHit + group.nHit,
                sumW2Hit: sum.sumW2Hit + group.sumW2Hit
            )
        }
    }
}
