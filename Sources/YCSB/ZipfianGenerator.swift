#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// YCSB's zipfian generator (`site.ycsb.generator.ZipfianGenerator`), after Gray et al.,
/// "Quickly Generating Billion-Record Synthetic Databases", SIGMOD 1994.
///
/// Item `base + i` (i in 0..<items) is drawn with probability about 1 / ((i+1)^theta * zetan).
/// items = max - min + 1; zeta2theta = zeta(2, theta); alpha = 1 / (1 - theta);
/// eta = (1 - (2/items)^(1-theta)) / (1 - zeta2theta/zetan).
///
/// When `next(itemCount:using:)` is called with a larger count than the one zetan was computed
/// for, zetan is extended incrementally and eta recomputed; as in YCSB, eta keeps using the item
/// count given at construction, and a smaller count leaves zetan alone.
///
/// Thread safety: a value type; each thread keeps its own copy.
public struct ZipfianGenerator: Sendable {
  /// YCSB's zipfian constant.
  public static let defaultTheta = 0.99

  /// The smallest value drawn.
  public let base: UInt64
  /// The number of items at construction.
  public let itemCount: UInt64
  /// The zipfian constant.
  public let theta: Double
  @usableFromInline let alpha: Double
  @usableFromInline let zeta2Theta: Double
  /// 1 + 0.5^theta: below this (scaled) the draw is the second item.
  @usableFromInline let secondItemBound: Double
  @usableFromInline var zetan: Double
  @usableFromInline var eta: Double
  /// The item count zetan currently covers.
  @usableFromInline var countForZeta: UInt64

  /// Values in [min, max] with the zipfian constant `theta`; `zetan` when already known
  /// (it must be zeta(max - min + 1, theta)), computed otherwise.
  /// Preconditions: min <= max; theta > 0 and theta != 1.
  public init(min: UInt64, max: UInt64, theta: Double = defaultTheta, zetan: Double? = nil) {
    precondition(min <= max, "zipfian range [\(min), \(max)] is empty")
    self.init(base: min, itemCount: max - min + 1, theta: theta, zetan: zetan)
  }

  /// Values in [0, itemCount - 1]; `itemCount` may be 0 (every draw is then `base`, as in YCSB).
  public init(base: UInt64 = 0, itemCount: UInt64, theta: Double = defaultTheta, zetan: Double? = nil) {
    precondition(theta > 0 && theta != 1 && theta.isFinite, "zipfian constant \(theta) outside (0,1) ∪ (1,∞)")
    self.base = base
    self.itemCount = itemCount
    self.theta = theta
    self.alpha = 1 / (1 - theta)
    self.zeta2Theta = Zeta.zeta(2, theta: theta)
    self.secondItemBound = 1 + pow(0.5, theta)
    let zetan = zetan ?? Zeta.zeta(itemCount, theta: theta)
    self.zetan = zetan
    self.countForZeta = itemCount
    self.eta = ZipfianGenerator.eta(itemCount: itemCount, theta: theta, zeta2Theta: zeta2Theta, zetan: zetan)
  }

  /// The zeta value the generator currently uses.
  public var currentZetan: Double { zetan }

  /// The next value in [base, base + itemCount - 1].
  @inlinable
  public mutating func next(using random: inout RandomSource) -> UInt64 {
    next(itemCount: itemCount, using: &random)
  }

  /// The next value for a current item count of `itemCount` (YCSB's `nextLong(itemcount)`).
  @inlinable
  public mutating func next(itemCount currentCount: UInt64, using random: inout RandomSource) -> UInt64 {
    if currentCount != countForZeta { grow(to: currentCount) }
    let u = random.nextDouble()
    let scaled = u * zetan
    if scaled < 1 { return base }
    if scaled < secondItemBound { return base &+ 1 }
    let offset = Double(currentCount) * pow(eta * u - eta + 1, alpha)
    // Safety against a NaN or an overshoot from rounding: Gray's formula keeps offset < count.
    guard offset >= 0 else { return base }
    return base &+ (offset < 0x1p63 ? UInt64(offset) : UInt64(Int64.max))
  }

  /// Extends zetan when the item count grew (YCSB's incremental recomputation); ignores decreases.
  @usableFromInline
  mutating func grow(to newCount: UInt64) {
    guard newCount > countForZeta else { return }
    zetan += Zeta.sum(fromCount: countForZeta, toCount: newCount, theta: theta)
    countForZeta = newCount
    eta = ZipfianGenerator.eta(itemCount: itemCount, theta: theta, zeta2Theta: zeta2Theta, zetan: zetan)
  }

  static func eta(itemCount: UInt64, theta: Double, zeta2Theta: Double, zetan: Double) -> Double {
    (1 - pow(2.0 / Double(itemCount), 1 - theta)) / (1 - zeta2Theta / zetan)
  }
}
