import FasterTestSupport
import Testing

@testable import YCSB

@Suite struct RandomSourceTests {
  @Test func sameSeedSameSequence() {
    var first = RandomSource(seed: 123)
    var second = RandomSource(seed: 123)
    for _ in 0..<100 { #expect(first.next() == second.next()) }
  }

  @Test func differentStreamsDiffer() {
    var first = RandomSource(seed: 123, stream: 0)
    var second = RandomSource(seed: 123, stream: 1)
    let a = (0..<4).map { _ in first.next() }
    let b = (0..<4).map { _ in second.next() }
    #expect(a != b)
  }

  @Test func splitMixMatchesReference() {
    // Reference outputs of splitmix64 seeded with 0 (from the published C code).
    var state: UInt64 = 0
    #expect(RandomSource.splitMix64(&state) == 0xE220_A839_7B1D_CDAF)
    #expect(RandomSource.splitMix64(&state) == 0x6E78_9E6A_A1B9_65F4)
  }

  @Test func doublesInUnitInterval() {
    var random = RandomSource(seed: TestSeed.value(for: "doublesInUnitInterval", default: 5))
    var sum = 0.0
    for _ in 0..<100_000 {
      let value = random.nextDouble()
      #expect(value >= 0 && value < 1)
      sum += value
    }
    // Mean 0.5, standard deviation of the mean sqrt(1/12/1e5) ~ 0.0009.
    #expect(abs(sum / 100_000 - 0.5) < 0.006)
  }

  @Test func boundedIsInRangeAndUnbiased() {
    var random = RandomSource(seed: TestSeed.value(for: "boundedIsInRangeAndUnbiased", default: 6))
    let bound: UInt64 = 7
    var counts = [Int](repeating: 0, count: Int(bound))
    let trials = 70_000
    for _ in 0..<trials {
      let value = random.nextBounded(bound)
      #expect(value < bound)
      counts[Int(value)] += 1
    }
    let expected = [Double](repeating: Double(trials) / Double(bound), count: Int(bound))
    #expect(
      Statistics.chiSquare(observed: counts, expected: expected)
        < Statistics.chiSquareBound(degreesOfFreedom: 6))
  }

  @Test func boundOfOneIsAlwaysZero() {
    var random = RandomSource(seed: 1)
    for _ in 0..<100 { #expect(random.nextBounded(1) == 0) }
  }
}
