import FasterTestSupport
import Testing

@testable import YCSB

@Suite struct DiscreteGeneratorTests {
  @Test func weightsAreNormalised() {
    let generator = DiscreteGenerator([(weight: 2.0, value: "a"), (weight: 6.0, value: "b")])
    #expect(generator.normalizedWeights == [0.25, 0.75])
  }

  @Test func proportionsFitWeights() {
    let seed = TestSeed.value(for: "discrete.proportions", default: 91)
    var random = RandomSource(seed: seed)
    let generator = DiscreteGenerator([
      (weight: 0.5, value: Operation.read), (weight: 0.3, value: .update), (weight: 0.2, value: .scan),
    ])
    var counts: [Operation: Int] = [:]
    let trials = 100_000
    for _ in 0..<trials { counts[generator.next(using: &random), default: 0] += 1 }
    #expect(counts[.insert] == nil)
    let observed = [counts[.read] ?? 0, counts[.update] ?? 0, counts[.scan] ?? 0]
    let expected = [0.5, 0.3, 0.2].map { $0 * Double(trials) }
    #expect(
      Statistics.chiSquare(observed: observed, expected: expected)
        < Statistics.chiSquareBound(degreesOfFreedom: 2))
  }

  @Test func zeroWeightIsNeverChosen() {
    var random = RandomSource(seed: 1)
    let generator = DiscreteGenerator([
      (weight: 0.0, value: 1), (weight: 1.0, value: 2), (weight: 0.0, value: 3),
    ])
    for _ in 0..<1000 { #expect(generator.next(using: &random) == 2) }
  }
}
