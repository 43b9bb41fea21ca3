/// YCSB's hotspot generator (`site.ycsb.generator.HotspotIntegerGenerator`): the first
/// Int(interval * hotSetFraction) values of [lowerBound, upperBound] are the hot set; a draw is
/// from the hot set with probability hotOperationFraction, from the cold rest otherwise, uniform
/// within each. If one set is empty every draw comes from the other (YCSB would divide by zero).
///
/// Thread safety: an immutable value; the state is in the RandomSource.
public struct HotspotGenerator: Sendable {
  public let lowerBound: UInt64
  public let upperBound: UInt64
  public let hotSetFraction: Double
  public let hotOperationFraction: Double
  /// Number of values in the hot set.
  public let hotCount: UInt64
  /// Number of values in the cold set.
  public let coldCount: UInt64

  /// Preconditions: lowerBound <= upperBound; both fractions in [0, 1].
  public init(lowerBound: UInt64, upperBound: UInt64, hotSetFraction: Double, hotOperationFraction: Double) {
    precondition(lowerBound <= upperBound, "hotspot range [\(lowerBound), \(upperBound)] is empty")
    precondition((0...1).contains(hotSetFraction), "hot set fraction \(hotSetFraction) outside [0, 1]")
    precondition(
      (0...1).contains(hotOperationFraction), "hot operation fraction \(hotOperationFraction) outside [0, 1]")
    self.lowerBound = lowerBound
    self.upperBound = upperBound
    self.hotSetFraction = hotSetFraction
    self.hotOperationFraction = hotOperationFraction
    let interval = upperBound - lowerBound + 1
    self.hotCount = Swift.min(interval, UInt64(Double(interval) * hotSetFraction))
    self.coldCount = interval - hotCount
  }

  @inlinable
  public func next(using random: inout RandomSource) -> UInt64 {
    let hot = random.nextDouble() < hotOperationFraction
    if (hot && hotCount > 0) || coldCount == 0 {
      return lowerBound + random.nextBounded(hotCount)
    }
    return lowerBound + hotCount + random.nextBounded(coldCount)
  }
}
