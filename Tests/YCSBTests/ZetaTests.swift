import Testing

@testable import YCSB

@Suite struct ZetaTests {
  func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / abs(b) }

  @Test(arguments: [0.2, 0.5, 0.99, 1.5])
  func fastMatchesExactAtOneMillion(theta: Double) {
    let count: UInt64 = 1_000_000
    let fast = Zeta.zeta(count, theta: theta)
    let exact = Zeta.exactSum(fromCount: 0, toCount: count, theta: theta)
    #expect(relativeError(fast, exact) < 1e-10, "theta \(theta): \(fast) vs \(exact)")
  }

  @Test func fastMatchesExactAtTenMillion() {
    let count: UInt64 = 10_000_000
    let fast = Zeta.zeta(count, theta: 0.99)
    let exact = Zeta.exactSum(fromCount: 0, toCount: count, theta: 0.99)
    #expect(relativeError(fast, exact) < 1e-10, "\(fast) vs \(exact)")
  }

  @Test func fastMatchesExactJustPastTheHead() {
    let count = Zeta.exactTermCount + 5000
    let fast = Zeta.zeta(count, theta: 0.99)
    let exact = Zeta.exactSum(fromCount: 0, toCount: count, theta: 0.99)
    #expect(relativeError(fast, exact) < 1e-12)
  }

  @Test func smallCountsAreExact() {
    #expect(Zeta.zeta(0, theta: 0.99) == 0)
    #expect(Zeta.zeta(1, theta: 0.99) == 1)
    #expect(abs(Zeta.zeta(2, theta: 0.5) - (1 + 1 / 2.0.squareRoot())) < 1e-15)
  }

  @Test func incrementalSumExtendsZeta() {
    let theta = 0.99
    let base = Zeta.zeta(3_000_000, theta: theta)
    let extended = base + Zeta.sum(fromCount: 3_000_000, toCount: 5_000_000, theta: theta)
    let direct = Zeta.exactSum(fromCount: 0, toCount: 5_000_000, theta: theta)
    #expect(relativeError(extended, direct) < 1e-10)
    // A short extension far out is summed term by term.
    let far = Zeta.sum(fromCount: 1_000_000_000, toCount: 1_000_000_010, theta: theta)
    let farExact = Zeta.exactSum(fromCount: 1_000_000_000, toCount: 1_000_000_010, theta: theta)
    #expect(relativeError(far, farExact) < 1e-14)
  }

  @Test func longExtensionFarOutUsesEulerMaclaurin() {
    let theta = 0.99
    let fast = Zeta.sum(fromCount: 100_000_000, toCount: 102_000_000, theta: theta)
    let exact = Zeta.exactSum(fromCount: 100_000_000, toCount: 102_000_000, theta: theta)
    #expect(relativeError(fast, exact) < 1e-10)
  }

  @Test func agreesWithYCSBsPrecomputedZetan() {
    let value = Zeta.zeta(ScrambledZipfianGenerator.innerItemCount, theta: 0.99)
    print("zeta(1e10, 0.99) = \(value); YCSB's ZETAN = \(ScrambledZipfianGenerator.zetan099)")
    #expect(relativeError(value, ScrambledZipfianGenerator.zetan099) < 1e-9)
  }

  @Test func hundredMillionSetupTime() {
    let start = monotonicSeconds()
    let value = Zeta.zeta(100_000_000, theta: 0.99)
    let elapsed = monotonicSeconds() - start
    print("zeta(1e8, 0.99) = \(value) in \(elapsed * 1000) ms")
    #expect(value > 0)
  }
}
