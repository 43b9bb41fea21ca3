#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Seeds of randomized tests: `FASTER_TEST_SEED` from the environment when set (to replay a
/// failure), else the test's fixed default, else a fresh random one. Printed either way, so
/// every failing run says how to replay it.
public enum TestSeed {
  /// The seed for `test`. With `defaultSeed` nil, each run draws a new seed.
  public static func value(for test: String, default defaultSeed: UInt64? = nil) -> UInt64 {
    let seed: UInt64
    if let text = getenv("FASTER_TEST_SEED").map({ String(cString: $0) }), let parsed = UInt64(text) {
      seed = parsed
    } else {
      seed = defaultSeed ?? UInt64.random(in: 1...UInt64.max)
    }
    print("\(test): seed \(seed) (replay with FASTER_TEST_SEED=\(seed))")
    return seed
  }
}

/// A fresh (or replayed) seed for `testName`: `TestSeed.value(for: testName)`.
public func testSeed(_ testName: String) -> UInt64 { TestSeed.value(for: testName) }
