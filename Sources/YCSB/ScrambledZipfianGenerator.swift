/// YCSB's scrambled zipfian generator (`site.ycsb.generator.ScrambledZipfianGenerator`): a zipfian
/// over a huge item space whose draws are hashed (FNV-1a) into [min, max], so the popular keys are
/// spread over the key space instead of clustered at its start.
///
/// The inner zipfian covers [0, innerItemCount] (innerItemCount + 1 items, as YCSB builds it) with
/// YCSB's precomputed zetan when theta is 0.99, and a computed one otherwise (fast, see `Zeta`).
/// next = min + hash64(inner) % (max - min + 1), with Java's signed remainder.
///
/// Thread safety: a value type; each thread keeps its own copy.
public struct ScrambledZipfianGenerator: Sendable {
  /// YCSB's ITEM_COUNT.
  public static let innerItemCount: UInt64 = 10_000_000_000
  /// YCSB's ZETAN: zeta(ITEM_COUNT, 0.99), precomputed.
  public static let zetan099 = 26.46902820178302
  /// YCSB's USED_ZIPFIAN_CONSTANT, the theta `zetan099` belongs to.
  public static let precomputedTheta = 0.99

  public let min: UInt64
  public let max: UInt64
  /// max - min + 1.
  public let itemCount: UInt64
  @usableFromInline var inner: ZipfianGenerator

  /// Values in [min, max]. Preconditions: min <= max; max - min < Int64.max.
  public init(min: UInt64, max: UInt64, theta: Double = ZipfianGenerator.defaultTheta) {
    self.init(min: min, max: max, inner: ScrambledZipfianGenerator.innerGenerator(theta: theta))
  }

  /// Values in [min, max] using a prepared inner generator (to share its zeta computation).
  public init(min: UInt64, max: UInt64, inner: ZipfianGenerator) {
    precondition(
      min <= max && max - min < UInt64(Int64.max), "scrambled zipfian range [\(min), \(max)] invalid")
    self.min = min
    self.max = max
    self.itemCount = max - min + 1
    self.inner = inner
  }

  /// The inner zipfian YCSB builds: [0, innerItemCount], zetan precomputed for theta 0.99.
  public static func innerGenerator(theta: Double) -> ZipfianGenerator {
    if theta == precomputedTheta {
      return ZipfianGenerator(min: 0, max: innerItemCount, theta: theta, zetan: zetan099)
    }
    return ZipfianGenerator(min: 0, max: innerItemCount, theta: theta)
  }

  @inlinable
  public mutating func next(using random: inout RandomSource) -> UInt64 {
    let rank = inner.next(using: &random)
    // Java: min + fnvhash64(rank) % itemcount, on signed longs. The hash is negative only when it
    // is Int64.min; the result then wraps below min, and CoreWorkload redraws it.
    let hash = Int64(bitPattern: FNV1a.hash64(rank))
    let offset = hash % Int64(bitPattern: itemCount)
    return UInt64(bitPattern: Int64(bitPattern: min) &+ offset)
  }

  /// The inner (unscrambled) draw: the zipfian rank of the next value. For tests.
  public mutating func nextRank(using random: inout RandomSource) -> UInt64 {
    inner.next(using: &random)
  }
}
