import FasterTestSupport
import Testing

@testable import YCSB

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite struct ZipfianGeneratorTests {
  @Test func valuesStayInRange() {
    var random = RandomSource(seed: TestSeed.value(for: "zipfian.valuesStayInRange", default: 11))
    var generator = ZipfianGenerator(min: 100, max: 199)
    for _ in 0..<50_000 {
      let value = generator.next(using: &random)
      #expect(value >= 100 && value <= 199)
    }
  }

  @Test func firstTwoRanksMatchTheory() {
    // Gray's method is exact for ranks 0 and 1: P(0) = 1/zetan, P(1) = 2^-theta / zetan.
    let seed = TestSeed.value(for: "zipfian.firstTwoRanksMatchTheory", default: 12)
    var random = RandomSource(seed: seed)
    let itemCount: UInt64 = 1000
    var generator = ZipfianGenerator(itemCount: itemCount)
    let zetan = Zeta.zeta(itemCount, theta: 0.99)
    let trials = 200_000
    var counts = [0, 0]
    for _ in 0..<trials {
      let value = generator.next(using: &random)
      if value < 2 { counts[Int(value)] += 1 }
    }
    #expect(Statistics.sigmas(count: counts[0], trials: trials, probability: 1 / zetan) < 5)
    #expect(Statistics.sigmas(count: counts[1], trials: trials, probability: pow(2, -0.99) / zetan) < 5)
  }

  /// The exact distribution of Gray's method (what YCSB's generator draws): rank 0 when
  /// u * zetan < 1, rank 1 below 1 + 0.5^theta, else Int(n * (eta u - eta + 1)^alpha), so rank k
  /// takes the u interval between the inverses at k and k + 1.
  func graysProbabilities(itemCount: UInt64, theta: Double, ranks: Int) -> [Double] {
    let n = Double(itemCount)
    let zetan = Zeta.zeta(itemCount, theta: theta)
    let secondBound = 1 + pow(0.5, theta)
    let eta = (1 - pow(2 / n, 1 - theta)) / (1 - Zeta.zeta(2, theta: theta) / zetan)
    let firstGeneralU = secondBound / zetan
    func inverse(_ rank: Double) -> Double { (pow(rank / n, 1 - theta) - 1) / eta + 1 }
    return (0..<ranks).map { rank in
      switch rank {
      case 0: return 1 / zetan
      case 1: return (secondBound - 1) / zetan
      default:
        let low = max(inverse(Double(rank)), firstGeneralU)
        let high = min(inverse(Double(rank + 1)), 1)
        return max(0, high - low)
      }
    }
  }

  @Test(arguments: [0.5, 0.99, 1.3])
  func topRanksFitGraysDistribution(theta: Double) {
    // Chi-square over ranks 0..<20 plus one bin for the rest.
    let seed = TestSeed.value(for: "zipfian.topRanksFitGraysDistribution(\(theta))", default: 13)
    var random = RandomSource(seed: seed)
    let itemCount: UInt64 = 10_000
    var generator = ZipfianGenerator(itemCount: itemCount, theta: theta)
    let trials = 200_000
    let binCount = 20
    var observed = [Int](repeating: 0, count: binCount + 1)
    for _ in 0..<trials {
      let value = Int(generator.next(using: &random))
      observed[min(value, binCount)] += 1
    }
    var expected = graysProbabilities(itemCount: itemCount, theta: theta, ranks: binCount).map {
      $0 * Double(trials)
    }
    expected.append(Double(trials) - expected.reduce(0, +))
    let statistic = Statistics.chiSquare(observed: observed, expected: expected)
    print("zipfian theta \(theta): chi-square \(statistic) over \(binCount) degrees of freedom")
    #expect(statistic < Statistics.chiSquareBound(degreesOfFreedom: binCount))
  }

  @Test func graysMethodApproximatesTheZipfLaw() {
    // YCSB's generator is exact for ranks 0 and 1 and over-weights the next ranks (rank 2 by about
    // 18% at theta 0.99, fading to under 1% by rank 17): a property of Gray's method, kept for
    // YCSB compatibility. Pinned here so a change to it is noticed.
    let itemCount: UInt64 = 10_000
    let zetan = Zeta.zeta(itemCount, theta: 0.99)
    let gray = graysProbabilities(itemCount: itemCount, theta: 0.99, ranks: 20)
    let ratios = gray.indices.map { gray[$0] * pow(Double($0 + 1), 0.99) * zetan }
    #expect(abs(ratios[0] - 1) < 1e-12 && abs(ratios[1] - 1) < 1e-12)
    #expect(ratios[2] > 1.15 && ratios[2] < 1.20)
    #expect(ratios[2...].allSatisfy { $0 > 0.99 && $0 < 1.2 })
  }

  @Test func growingItemCountExtendsZetaIncrementally() {
    var generator = ZipfianGenerator(itemCount: 1000)
    var random = RandomSource(seed: 1)
    _ = generator.next(itemCount: 1500, using: &random)
    let expected = Zeta.zeta(1500, theta: 0.99)
    #expect(abs(generator.currentZetan - expected) / expected < 1e-13)
  }

  @Test func shrinkingItemCountKeepsZeta() {
    var generator = ZipfianGenerator(itemCount: 1000)
    var random = RandomSource(seed: 1)
    let before = generator.currentZetan
    _ = generator.next(itemCount: 500, using: &random)
    #expect(generator.currentZetan == before)
  }

  @Test func zeroItemsAlwaysGivesBase() {
    var generator = ZipfianGenerator(base: 7, itemCount: 0)
    var random = RandomSource(seed: 1)
    for _ in 0..<100 { #expect(generator.next(using: &random) == 7) }
  }
}
