import FasterTestSupport
import Testing

@testable import YCSB

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite struct ScrambledZipfianGeneratorTests {
  @Test func usesYCSBsPrecomputedZetaForDefaultTheta() {
    let inner = ScrambledZipfianGenerator.innerGenerator(theta: 0.99)
    #expect(inner.currentZetan == 26.46902820178302)
    #expect(inner.itemCount == 10_000_000_001)
  }

  @Test func otherThetaComputesZetaQuickly() {
    let inner = ScrambledZipfianGenerator.innerGenerator(theta: 0.8)
    let expected = Zeta.zeta(10_000_000_001, theta: 0.8)
    #expect(inner.currentZetan == expected)
  }

  @Test func outputIsFNVOfInnerRank() {
    let seed = TestSeed.value(for: "scrambled.outputIsFNVOfInnerRank", default: 21)
    var ranks = ScrambledZipfianGenerator(min: 50, max: 1049)
    var values = ScrambledZipfianGenerator(min: 50, max: 1049)
    var rankRandom = RandomSource(seed: seed)
    var valueRandom = RandomSource(seed: seed)
    for _ in 0..<10_000 {
      let rank = ranks.nextRank(using: &rankRandom)
      let value = values.next(using: &valueRandom)
      #expect(value == 50 + FNV1a.hash64(rank) % 1000)
      #expect(value >= 50 && value <= 1049)
    }
  }

  @Test func hottestKeysHaveTheTopRankFrequencies() {
    // With 10^10 inner items, the hottest key is the hash of rank 0 (probability 1/ZETAN) and the
    // next is the hash of rank 1 (2^-0.99 / ZETAN); the other ranks hashing to the same key add
    // about 1 / itemCount.
    let seed = TestSeed.value(for: "scrambled.hottestKeysHaveTheTopRankFrequencies", default: 22)
    var random = RandomSource(seed: seed)
    let itemCount: UInt64 = 100_000
    var generator = ScrambledZipfianGenerator(min: 0, max: itemCount - 1)
    var counts = [Int](repeating: 0, count: Int(itemCount))
    let trials = 300_000
    for _ in 0..<trials { counts[Int(generator.next(using: &random))] += 1 }
    let sorted = counts.enumerated().sorted { $0.element > $1.element }
    let zetan = ScrambledZipfianGenerator.zetan099
    #expect(UInt64(sorted[0].offset) == FNV1a.hash64(0) % itemCount)
    #expect(UInt64(sorted[1].offset) == FNV1a.hash64(1) % itemCount)
    let background = 1 / Double(itemCount)
    #expect(
      Statistics.sigmas(count: sorted[0].element, trials: trials, probability: 1 / zetan + background) < 5)
    let second = pow(2, -0.99) / zetan + background
    #expect(Statistics.sigmas(count: sorted[1].element, trials: trials, probability: second) < 5)
  }
}
