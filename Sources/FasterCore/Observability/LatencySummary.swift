/// A latency distribution since the store opened: count, sum, maximum, and power-of-two
/// buckets (`buckets[i]` counts values in [2^i, 2^(i+1)) nanoseconds).
public struct LatencySummary: Sendable, Equatable, Codable {
  public var count: UInt64 = 0
  public var sumNanoseconds: UInt64 = 0
  public var maxNanoseconds: UInt64 = 0
  public var buckets: [UInt64] = []

  public init() {}

  init(count: UInt64, sumNanoseconds: UInt64, maxNanoseconds: UInt64, buckets: [UInt64]) {
    self.count = count
    self.sumNanoseconds = sumNanoseconds
    self.maxNanoseconds = maxNanoseconds
    self.buckets = buckets
  }

  /// The mean, in nanoseconds (0 when empty).
  public var meanNanoseconds: Double { count == 0 ? 0 : Double(sumNanoseconds) / Double(count) }

  /// An upper bound of the `quantile` (in [0, 1]): the top of the bucket where it falls,
  /// capped at the maximum seen (so within a factor of two of the true value). 0 when empty.
  public func nanoseconds(atQuantile quantile: Double) -> UInt64 {
    let total = buckets.reduce(0, +)
    guard total > 0 else { return 0 }
    let rank = UInt64((Double(total) * Swift.min(Swift.max(quantile, 0), 1)).rounded(.up))
    var seen: UInt64 = 0
    for (index, count) in buckets.enumerated() {
      seen += count
      if seen >= Swift.max(rank, 1) {
        let top = index >= 63 ? UInt64.max : (UInt64(1) << UInt64(index + 1)) - 1
        return Swift.min(top, maxNanoseconds)
      }
    }
    return maxNanoseconds
  }
}
