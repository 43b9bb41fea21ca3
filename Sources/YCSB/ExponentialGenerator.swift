#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// YCSB's exponential generator: exponentially distributed doubles with rate gamma.
/// CoreWorkload uses gamma = -ln(1 - percentile/100) / (recordcount * frac), so `percentile`
/// percent of draws fall below recordcount * frac, and subtracts the draw from the latest key.
///
/// Draws are -ln(1 - U) / gamma with U in [0, 1) (YCSB uses -ln U, which is infinite at U = 0;
/// the distribution is the same).
///
/// Thread safety: an immutable value; the state is in the RandomSource.
public struct ExponentialGenerator: Sendable {
  public let gamma: Double

  /// Precondition: mean > 0.
  public init(mean: Double) {
    precondition(mean > 0 && mean.isFinite, "exponential mean \(mean) must be positive")
    gamma = 1 / mean
  }

  /// `percentile` percent of draws fall below `range`. Preconditions: 0 < percentile < 100, range > 0.
  public init(percentile: Double, range: Double) {
    precondition(percentile > 0 && percentile < 100, "exponential percentile \(percentile) outside (0, 100)")
    precondition(range > 0 && range.isFinite, "exponential range \(range) must be positive")
    gamma = -log(1 - percentile / 100) / range
  }

  public var mean: Double { 1 / gamma }

  @inlinable
  public func next(using random: inout RandomSource) -> Double {
    -log(1 - random.nextDouble()) / gamma
  }
}
