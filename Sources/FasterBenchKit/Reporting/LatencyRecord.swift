import Histogram

/// One latency distribution: summary figures in nanoseconds and microseconds, and the whole
/// HdrHistogram (nanosecond values, 3 significant digits).
///
/// In the file (schema 2) `histogram` is a string: base64 of HdrHistogram's compressed V2
/// encoding (``HistogramV2Codec``), which any HdrHistogram library decodes. Schema 1 files hold
/// hdrhistogram-swift's own object form instead; both are read.
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

  enum CodingKeys: String, CodingKey {
    case count, nanoseconds, microseconds, histogram
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    count = try container.decode(UInt64.self, forKey: .count)
    nanoseconds = try container.decode(LatencyFigures.self, forKey: .nanoseconds)
    microseconds = try container.decode(LatencyFigures.self, forKey: .microseconds)
    if let encoded = try? container.decode(String.self, forKey: .histogram) {
      do {
        histogram = try HistogramV2Codec.decode(base64: encoded)
      } catch {
        throw DecodingError.dataCorruptedError(
          forKey: .histogram, in: container, debugDescription: "histogram: \(error.description)")
      }
    } else {
      histogram = try container.decode(Histogram<UInt64>.self, forKey: .histogram)  // schema 1
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(count, forKey: .count)
    try container.encode(nanoseconds, forKey: .nanoseconds)
    try container.encode(microseconds, forKey: .microseconds)
    try container.encode(HistogramV2Codec.base64(histogram), forKey: .histogram)
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
    min = empty ? 0 : Double(histogram.ycsbMin) * scale
    max = empty ? 0 : Double(histogram.max) * scale
    p50 = at(50)
    p90 = at(90)
    p95 = at(95)
    p99 = at(99)
    p99_9 = at(99.9)
    p99_99 = at(99.99)
  }
}
