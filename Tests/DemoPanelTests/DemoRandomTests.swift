import DataPlane
import DemoPanel
import Testing

@Suite("Demo panel random generator")
struct DemoRandomTests {
    @Test("the same seed replays the same sequence; other seeds and streams differ")
    func reproducible() {
        var a = DemoRandom(seed: 42, stream: 1, index: 7)
        var b = DemoRandom(seed: 42, stream: 1, index: 7)
        let first = (0..<1_000).map { _ in a.next() }
        #expect(first == (0..<1_000).map { _ in b.next() })

        for (seed, stream, index) in [(43, 1, 7), (42, 2, 7), (42, 1, 8)] as [(UInt64, UInt64, UInt64)] {
            var other = DemoRandom(seed: seed, stream: stream, index: index)
            let values = (0..<1_000).map { _ in other.next() }
            #expect(values != first)
            #expect(Set(values).intersection(first).isEmpty)
        }
    }

    @Test("uniform draws stay in range with the right mean and spread")
    func uniform() {
        var random = DemoRandom(seed: 1)
        let n = 100_000
        var sum = 0.0
        var buckets = [Int](repeating: 0, count: 10)
        for _ in 0..<n {
            let u = random.nextUnit()
            #expect(u >= 0 && u < 1)
            sum += u
            buckets[Int(u * 10)] += 1
        }
        #expect(abs(sum / Double(n) - 0.5) < 0.01)
        for count in buckets { #expect(abs(count - n / 10) < n / 100) }
        for _ in 0..<10_000 {
            let k = random.nextInt(below: 7)
            #expect((0..<7).contains(k))
        }
    }

    @Test("normal draws have mean 0 and variance 1; mean-one log-normals average 1")
    func normal() {
        var random = DemoRandom(seed: 2)
        let n = 100_000
        let normals = (0..<n).map { _ in random.nextNormal() }
        let mean = normals.reduce(0, +) / Double(n)
        let variance = normals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
        #expect(abs(mean) < 0.02)
        #expect(abs(variance - 1) < 0.03)
        let logNormals = (0..<n).map { _ in random.nextLogNormalMeanOne(sigma: 0.5) }
        #expect(abs(logNormals.reduce(0, +) / Double(n) - 1) < 0.02)
        #expect(logNormals.allSatisfy { $0 > 0 })
    }
}
