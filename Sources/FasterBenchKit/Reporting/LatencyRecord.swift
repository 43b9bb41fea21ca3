import Histogram

/// One latency distribution: summary figures in nanoseconds and microseconds, and the whole
/// HdrHistogram (nanosecond values, 3 significant digits) as hdrhistogram-swift encodes it.
public struct LatencyRecord: Codable, Sendable {
  public var count: UInt64
  public var nanoseconds: LatencyFigures
  public var microseconds: LatencyFigures
  public var histogram: Histogram<UInt64>

  public init(_ histogram: Histogram<UInt64>) {
    count = histogram.totalCount
    nanoseconds = LatencyFigures(histogram, scale: 1)
    microseconds = LatencyFigures(histogram, scale: 1e-3)
    self.histogram = histogram
  }
}

/// Mean, extremes and the standard percentiles of a distribution, in one unit.
public struct LatencyFigures: Codable, Sendable, Equatable {
  public var mean: Double
  public var min: Double
  public var max: Double
  public var p50: Double
  public var p90: Double
  public var p95: Double
  public var p99: Double
  public var p99_9: Double
  public var p99_99: Double

  init(_ histogram: Histogram<UInt64>, scale: Double) {
    let empty = histogram.totalCount == 0
    func at(_ percentile: Double) -> Double {
      empty ? 0 : Double(histogram.ycsbValue(atPercentile: percentile)) * scale
    }
    mean = empty ? 0 : histogram.mean * scale
    min = empty ? 0 : Double(histogram.min) * scale
    max = empty ? 0 : Double(histogram.max) * scale
    p50 = at(50)
    p90 = at(90)
    p95 = at(95)
    p99 = at(99)
    p99_9 = at(99.9)
    p99_99 = at(99.99)
  }
}
