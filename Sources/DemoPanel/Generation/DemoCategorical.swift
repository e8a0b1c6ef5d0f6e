/// A discrete distribution over indices `0..<count`, drawn by one uniform number and a linear scan.
///
/// The demo tables have at most 24 outcomes, where a scan beats a binary search and needs no setup.
struct DemoCategorical: Sendable {
    private let cumulative: [Double]

    /// Weights need not sum to 1; they are normalised. Negative weights count as 0.
    init(weights: [Double]) {
        var running = 0.0
        var cumulative: [Double] = []
        cumulative.reserveCapacity(weights.count)
        for weight in weights {
            running += max(0, weight)
            cumulative.append(running)
        }
        self.cumulative = running > 0 ? cumulative.map { $0 / running } : cumulative.indices.map { Double($0 + 1) / Double(weights.count) }
    }

    var count: Int { self.cumulative.count }

    func draw(_ random: inout DemoRandom) -> Int {
        let u = random.nextUnit()
        for (index, bound) in self.cumulative.enumerated() where u < bound {
            return index
        }
        return self.cumulative.count - 1
    }

    /// The probability of outcome `index`.
    func probability(_ index: Int) -> Double {
        index == 0 ? self.cumulative[0] : self.cumulative[index] - self.cumulative[index - 1]
    }
}
