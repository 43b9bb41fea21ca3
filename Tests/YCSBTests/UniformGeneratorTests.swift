import FasterTestSupport
import Testing

@testable import YCSB

@Suite struct UniformGeneratorTests {
  @Test func fitsUniform() {
    let seed = TestSeed.value(for: "uniform.fitsUniform", default: 51)
    var random = RandomSource(seed: seed)
    let generator = UniformGenerator(lowerBound: 5, upperBound: 104)
    var counts = [Int](repeating: 0, count: 100)
    let trials = 200_000
    for _ in 0..<trials {
      let value = generator.next(using: &random)
      #expect(value >= 5 && value <= 104)
      counts[Int(value - 5)] += 1
    }
    let expected = [Double](repeating: Double(trials) / 100, count: 100)
    #expect(
      Statistics.chiSquare(observed: counts, expected: expected)
        < Statistics.chiSquareBound(degreesOfFreedom: 99))
  }

  @Test func singleValueRange() {
    var random = RandomSource(seed: 1)
    let generator = UniformGenerator(lowerBound: 9, upperBound: 9)
    for _ in 0..<10 { #expect(generator.next(using: &random) == 9) }
  }
}
