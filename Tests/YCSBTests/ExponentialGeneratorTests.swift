import FasterTestSupport
import Testing

@testable import YCSB

@Suite struct ExponentialGeneratorTests {
  @Test func percentileFallsBelowRange() {
    // YCSB's own check: with (90, 100), 90% of draws are below 100.
    let seed = TestSeed.value(for: "exponential.percentile", default: 61)
    var random = RandomSource(seed: seed)
    let generator = ExponentialGenerator(percentile: 90, range: 100)
    let trials = 100_000
    var below = 0
    for _ in 0..<trials {
      let value = generator.next(using: &random)
      #expect(value >= 0 && value.isFinite)
      if value < 100 { below += 1 }
    }
    #expect(Statistics.sigmas(count: below, trials: trials, probability: 0.9) < 5)
  }
}
