import Foundation

/// The seed of a randomized test: `FASTER_TEST_SEED` from the environment when set
/// (to replay a failure), else a fresh one. Printed either way.
func testSeed(_ testName: String) -> UInt64 {
  let seed: UInt64
  if let text = ProcessInfo.processInfo.environment["FASTER_TEST_SEED"], let value = UInt64(text) {
    seed = value
  } else {
    seed = UInt64.random(in: 1...UInt64.max)
  }
  print("\(testName): seed \(seed) (replay with FASTER_TEST_SEED=\(seed))")
  return seed
}

/// A small, seedable PRNG for tests (splitmix64).
struct TestRandom {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
