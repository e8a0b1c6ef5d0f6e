import AnalyticsCore
import Foundation
import Testing

@Suite("Weighted statistics")
struct WeightedStatisticsTests {
    static func group(_ weights: [Double], x: [Double]? = nil, hits: Set<Int> = []) -> GroupAggregate {
        var g = GroupAggregate(keys: [], n: 0, sumW: 0, sumW2: 0, sumWX: 0, sumWHit: 0, nHit: 0, sumW2Hit: 0)
        for (i, w) in weights.enumerated() {
            g.n += 1
            g.sumW += w
            g.sumW2 += w * w
            g.sumWX += w * (x?[i] ?? 0)
            if hits.contains(i) {
                g.nHit += 1
                g.sumWHit += w
                g.sumW2Hit += w * w
            }
        }
        return g
    }

    @Test("Kish's effective base: (Σw)²/Σw², equal to n for equal weights")
    func kish() {
        #expect(WeightedStatistics.effectiveN(sumW: 6, sumW2: 14) == 36.0 / 14.0)
        #expect(WeightedStatistics.effectiveN(sumW: 50 * 1.7, sumW2: 50 * 1.7 * 1.7) == 50.0000000000000)
        #expect(WeightedStatistics.effectiveN(sumW: 0, sumW2: 0) == 0)
    }

    @Test("95% interval: p ± 1.96·√(p(1−p)/n_eff), clamped to [0, 1]")
    func interval() throws {
        let half = try #require(WeightedStatistics.shareInterval(share: 0.5, effectiveN: 100))
        #expect(abs(half.margin - 0.098) < 1e-12)
        #expect(abs(half.low - 0.402) < 1e-12 && abs(half.high - 0.598) < 1e-12)
        let low = try #require(WeightedStatistics.shareInterval(share: 0.02, effectiveN: 10))
        #expect(abs(low.margin - 1.96 * (0.02 * 0.98 / 10).squareRoot()) < 1e-12)
        #expect(low.low == 0)
        #expect(WeightedStatistics.shareInterval(share: 0.5, effectiveN: 0) == nil)
    }

    @Test("a share's figures from its sums")
    func share() throws {
        let weights = [0.5, 1.0, 2.0, 1.5, 3.0]
        let g = Self.group(weights, hits: [1, 2, 4])
        let e = WeightedStatistics.estimate(.share, g, minBase: 1, cautionBase: 10)
        let p = 6.0 / 8.0
        let neff = 64.0 / (0.25 + 1 + 4 + 2.25 + 9)
        #expect(e.unweightedN == 5 && e.weightedBase == 8)
        #expect(e.value == p)
        #expect(e.weightedCount == 6)
        #expect(abs(e.effectiveN - neff) < 1e-12)
        #expect(abs((e.interval?.margin ?? 0) - 1.96 * (p * (1 - p) / neff).squareRoot()) < 1e-12)
        #expect(!e.suppressed && e.caution)
    }

    @Test("means, totals and per-user means")
    func values() {
        let weights = [1.0, 2.0, 3.0, 4.0]
        let x = [10.0, 0, 5, 0]
        let g = Self.group(weights, x: x, hits: [0, 2])
        let mean = WeightedStatistics.estimate(.mean, g, minBase: 1, cautionBase: 1)
        #expect(mean.value == 25.0 / 10.0)
        #expect(mean.interval == nil && mean.weightedCount == nil)
        #expect(WeightedStatistics.estimate(.total, g, minBase: 1, cautionBase: 1).value == 25)
        let perUser = WeightedStatistics.estimate(.perUser, g, minBase: 1, cautionBase: 1)
        #expect(perUser.value == 25.0 / 4.0)
        #expect(perUser.unweightedN == 2 && perUser.weightedBase == 4)
        #expect(perUser.effectiveN == 16.0 / 10.0)
    }

    @Test("suppressed below min_base, flagged below caution_base, at the exact boundaries")
    func boundaries() {
        for n in [28, 29, 30, 31, 99, 100, 101] {
            let g = Self.group(Array(repeating: 1, count: n), hits: [0])
            let e = WeightedStatistics.estimate(.share, g, minBase: 30, cautionBase: 100)
            #expect(e.suppressed == (n < 30), "n=\(n)")
            #expect(e.caution == (n < 100), "n=\(n)")
            #expect((e.value == nil) == (n < 30))
            #expect((e.interval == nil) == (n < 30))
            #expect(e.unweightedN == n && e.weightedBase == Double(n))
        }
    }

    @Test("zero weights give no value rather than a division by zero")
    func zeroWeights() {
        let e = WeightedStatistics.estimate(.share, Self.group([0, 0, 0], hits: [1]), minBase: 1, cautionBase: 1)
        #expect(e.value == nil && e.interval == nil && e.effectiveN == 0 && !e.suppressed)
    }

    @Test("group sums add up into the overall group")
    func totals() {
        let a = Self.group([1, 2], x: [3, 4], hits: [0])
        let b = Self.group([0.5], x: [2], hits: [0])
        let t = GroupAggregate.total([a, b], keys: [])
        #expect(t == Self.group([1, 2, 0.5], x: [3, 4, 2], hits: [0, 2]))
    }
}
