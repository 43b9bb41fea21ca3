import Histogram

extension Histogram {
  /// The value at `percentile` by the rule of HdrHistogram 2.1.4, which YCSB 0.17 reports with:
  /// the nearest rank, `max(1, Int(percentile / 100 × count + 0.5))`, and the highest value
  /// equivalent to the bucket holding it. hdrhistogram-swift's `valueAtPercentile` rounds the
  /// rank up instead, which on identical counts put p99.99 35 % higher than YCSB's. With this
  /// rule the 100th percentile is ``max``. 0 for an empty histogram.
  public func ycsbValue(atPercentile percentile: Double) -> UInt64 {
    guard totalCount > 0 else { return 0 }
    let requested = Swift.min(Swift.max(percentile, 0), 100)
    let rank = Swift.max(1, UInt64(requested / 100 * Double(totalCount) + 0.5))
    var seen: UInt64 = 0
    for bucket in recordedValues() {
      seen += UInt64(bucket.count)
      if seen >= rank { return highestEquivalentForValue(bucket.value) }
    }
    return max
  }

  /// The smallest value as HdrHistogram 2.1.4 (YCSB's `MinLatency`) reports it: the lowest value
  /// equivalent to the smallest recorded one, so that a histogram read back from its encoding
  /// reports the same. 0 for an empty histogram.
  public var ycsbMin: UInt64 {
    totalCount == 0 || min == 0 ? 0 : lowestEquivalentForValue(min)
  }
}
