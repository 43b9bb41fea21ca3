/// A seedable pseudo-random source: xoshiro256** (Blackman and Vigna), seeded through splitmix64.
///
/// Every generator in this module draws from a `RandomSource` passed `inout`, so one thread owns
/// one source and a run is reproducible from its seed alone.
///
/// Invariant: the four state words are never all zero (splitmix64 seeding guarantees it in practice,
/// and `init` repairs the one impossible-in-practice case).
///
/// Thread safety: a value type with no shared state; use one per thread.
public struct RandomSource: RandomNumberGenerator, Sendable {
  @usableFromInline var state0: UInt64
  @usableFromInline var state1: UInt64
  @usableFromInline var state2: UInt64
  @usableFromInline var state3: UInt64

  /// Seeds the four state words with four consecutive splitmix64 outputs from `seed`.
  public init(seed: UInt64) {
    var splitMixState = seed
    state0 = RandomSource.splitMix64(&splitMixState)
    state1 = RandomSource.splitMix64(&splitMixState)
    state2 = RandomSource.splitMix64(&splitMixState)
    state3 = RandomSource.splitMix64(&splitMixState)
    if state0 | state1 | state2 | state3 == 0 { state0 = 1 }
  }

  /// A source for one of many independent streams sharing `seed` (for example one per thread).
  ///
  /// For a fixed seed, distinct streams give distinct initial states: the stream number goes
  /// through splitmix64's finaliser, which is a bijection, before it is mixed into the seed.
  public init(seed: UInt64, stream: UInt64) {
    self.init(seed: seed ^ RandomSource.mix64(stream &+ 0x9E37_79B9_7F4A_7C15))
  }

  /// One step of splitmix64 (Steele, Lea and Flood): advances `state` and returns the next output.
  public static func splitMix64(_ state: inout UInt64) -> UInt64 {
    state = state &+ 0x9E37_79B9_7F4A_7C15
    return mix64(state)
  }

  /// splitmix64's finaliser: a bijection on UInt64.
  @inlinable
  public static func mix64(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// The next 64 uniformly distributed bits (xoshiro256**).
  @inlinable
  public mutating func next() -> UInt64 {
    let result = rotateLeft(state1 &* 5, by: 7) &* 9
    let shifted = state1 << 17
    state2 ^= state0
    state3 ^= state1
    state1 ^= state2
    state0 ^= state3
    state2 ^= shifted
    state3 = rotateLeft(state3, by: 45)
    return result
  }

  /// A double uniformly distributed in [0, 1), built from the top 53 bits of `next()`.
  @inlinable
  public mutating func nextDouble() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A value uniformly distributed in [0, bound), without modulo bias (Lemire's multiply-shift
  /// with rejection). Precondition: `bound > 0`.
  @inlinable
  public mutating func nextBounded(_ bound: UInt64) -> UInt64 {
    precondition(bound > 0, "nextBounded needs a positive bound")
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      // Reject the low values that would make some results one draw more likely than others.
      let threshold = (0 &- bound) % bound
      while product.low < threshold {
        product = next().multipliedFullWidth(by: bound)
      }
    }
    return product.high
  }

  @inlinable
  func rotateLeft(_ value: UInt64, by count: UInt64) -> UInt64 {
    (value << count) | (value >> (64 &- count))
  }
}
