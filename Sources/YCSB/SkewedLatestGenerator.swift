/// YCSB's skewed-latest generator (`requestdistribution=latest`): next = limit - zipfian(limit),
/// where limit is the acknowledged insert counter's last value, so the newest keys are hottest.
///
/// The zipfian is built over the counter's value at construction and grows incrementally as the
/// limit rises. Draws fall in [1, limit] (key 0 is never drawn, as in YCSB).
///
/// Thread safety: a value type; each thread keeps its own copy and reads the shared counter.
public struct SkewedLatestGenerator: Sendable {
  @usableFromInline var zipfian: ZipfianGenerator

  /// `initialLimit` is the acknowledged counter's last value when the generator is created.
  public init(initialLimit: UInt64, theta: Double = ZipfianGenerator.defaultTheta, zetan: Double? = nil) {
    zipfian = ZipfianGenerator(base: 0, itemCount: initialLimit, theta: theta, zetan: zetan)
  }

  /// The next key number for the current acknowledged limit.
  @inlinable
  public mutating func next(limit: UInt64, using random: inout RandomSource) -> UInt64 {
    limit &- zipfian.next(itemCount: limit, using: &random)
  }
}
