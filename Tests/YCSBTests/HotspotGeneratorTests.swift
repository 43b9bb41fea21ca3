import FasterTestSupport
import Testing

@testable import YCSB

@Suite struct HotspotGeneratorTests {
  @Test func hotFractionOfDrawsHitsTheHotSet() {
    let seed = TestSeed.value(for: "hotspot.hotFraction", default: 41)
    var random = RandomSource(seed: seed)
    let generator = HotspotGenerator(
      lowerBound: 1000, upperBound: 10_999, hotSetFraction: 0.2, hotOperationFraction: 0.8)
    #expect(generator.hotCount == 2000)
    #expect(generator.coldCount == 8000)
    let trials = 100_000
    var hot = 0
    for _ in 0..<trials {
      let value = generator.next(using: &random)
      #expect(value >= 1000 && value <= 10_999)
      if value < 3000 { hot += 1 }
    }
    #expect(Statistics.sigmas(count: hot, trials: trials, probability: 0.8) < 5)
  }

  @Test func uniformWithinTheHotSet() {
    let seed = TestSeed.value(for: "hotspot.uniformWithinHotSet", default: 42)
    var random = RandomSource(seed: seed)
    let generator = HotspotGenerator(
      lowerBound: 0, upperBound: 99, hotSetFraction: 0.1, hotOperationFraction: 1)
    var counts = [Int](repeating: 0, count: 10)
    let trials = 50_000
    for _ in 0..<trials {
      let value = generator.next(using: &random)
      #expect(value < 10)
      counts[Int(value)] += 1
    }
    let expected = [Double](repeating: Double(trials) / 10, count: 10)
    #expect(
      Statistics.chiSquare(observed: counts, expected: expected)
        < Statistics.chiSquareBound(degreesOfFreedom: 9))
  }

  @Test func emptyHotSetDrawsCold() {
    var random = RandomSource(seed: 1)
    let generator = HotspotGenerator(
      lowerBound: 0, upperBound: 3, hotSetFraction: 0.1, hotOperationFraction: 0.9)
    #expect(generator.hotCount == 0)
    for _ in 0..<100 { #expect(generator.next(using: &random) <= 3) }
  }
}
