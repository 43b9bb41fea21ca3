import FasterTestSupport
import Testing

@testable import YCSB

@Suite struct SkewedLatestGeneratorTests {
  @Test func latestKeyIsHottest() {
    let seed = TestSeed.value(for: "latest.latestKeyIsHottest", default: 31)
    var random = RandomSource(seed: seed)
    let limit: UInt64 = 1000
    var generator = SkewedLatestGenerator(initialLimit: limit)
    let trials = 100_000
    var atLimit = 0
    var belowLimit = 0
    for _ in 0..<trials {
      let key = generator.next(limit: limit, using: &random)
      #expect(key >= 1 && key <= limit)
      if key == limit { atLimit += 1 }
      if key == limit - 1 { belowLimit += 1 }
    }
    let zetan = Zeta.zeta(limit, theta: 0.99)
    #expect(Statistics.sigmas(count: atLimit, trials: trials, probability: 1 / zetan) < 5)
    #expect(belowLimit < atLimit)
  }

  @Test func followsTheGrowingLimit() {
    let seed = TestSeed.value(for: "latest.followsTheGrowingLimit", default: 32)
    var random = RandomSource(seed: seed)
    var generator = SkewedLatestGenerator(initialLimit: 1000)
    let trials = 50_000
    var atNewLimit = 0
    for _ in 0..<trials {
      let key = generator.next(limit: 1200, using: &random)
      #expect(key <= 1200)
      if key == 1200 { atNewLimit += 1 }
    }
    // Still about 1/zetan of draws at the newest key.
    let zetan = Zeta.zeta(1200, theta: 0.99)
    #expect(Statistics.sigmas(count: atNewLimit, trials: trials, probability: 1 / zetan) < 5)
  }
}
