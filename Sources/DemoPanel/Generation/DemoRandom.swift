import Foundation

/// The demo panel's pseudo-random generator: SplitMix64, seeded per (seed, stream, index).
///
/// Every respondent owns independent streams (attributes, viewing, purchases), so any respondent's
/// rows can be regenerated alone, in any order, and the event tables can be streamed without holding
/// the respondent table in memory. SplitMix64 is tiny, fast and passes BigCrush; the system generator
/// is never used because it is neither seedable nor reproducible.
public struct DemoRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        self.state = seed
    }

    /// The generator for one (seed, stream, index) triple; distinct triples give unrelated sequences.
    public init(seed: UInt64, stream: UInt64, index: UInt64) {
        let streamKey = Self.mix(stream &* 0xD1B5_4A32_D192_ED03 &+ 0x8CB9_2BA7_2F3D_8DD7)
        self.state = Self.mix(seed ^ streamKey) ^ Self.mix(index &+ streamKey)
    }

    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(self.state)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(self.next() >> 11) * 0x1p-53
    }

    /// Uniform integer in `0..<bound` (bound > 0), by Lemire's multiply-shift; the slight bias for huge
    /// bounds does not matter here and keeps the draw to exactly one call.
    public mutating func nextInt(below bound: Int) -> Int {
        Int(self.next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// Standard normal by Box–Muller (one of the pair; the other is discarded for simplicity).
    public mutating func nextNormal() -> Double {
        let u1 = 1 - self.nextUnit()
        let u2 = self.nextUnit()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// Log-normal with the given median: median · e^(σ·Z).
    public mutating func nextLogNormal(median: Double, sigma: Double) -> Double {
        median * Foundation.exp(sigma * self.nextNormal())
    }

    /// Log-normal with mean exactly 1 in expectation: e^(σ·Z − σ²/2).
    public mutating func nextLogNormalMeanOne(sigma: Double) -> Double {
        Foundation.exp(sigma * self.nextNormal() - sigma * sigma / 2)
    }

    /// True with probability `p`.
    public mutating func nextBool(probability p: Double) -> Bool {
        self.nextUnit() < p
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
