/// Uniform values in [lowerBound, upperBound] (YCSB's `UniformLongGenerator`, without its
/// modulo bias: draws use `RandomSource.nextBounded`).
///
/// Thread safety: an immutable value; the state is in the RandomSource.
public struct UniformGenerator: Sendable {
  public let lowerBound: UInt64
  public let upperBound: UInt64
  /// upperBound - lowerBound + 1, or 0 for the full 2^64 range.
  @usableFromInline let intervalCount: UInt64

  /// Precondition: lowerBound <= upperBound.
  public init(lowerBound: UInt64, upperBound: UInt64) {
    precondition(lowerBound <= upperBound, "uniform range [\(lowerBound), \(upperBound)] is empty")
    self.lowerBound = lowerBound
    self.upperBound = upperBound
    self.intervalCount = upperBound &- lowerBound &+ 1
  }

  @inlinable
  public func next(using random: inout RandomSource) -> UInt64 {
    intervalCount == 0 ? random.next() : lowerBound &+ random.nextBounded(intervalCount)
  }
}
