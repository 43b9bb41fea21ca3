/// A figure the gate compares: one value per repetition.
public enum GateMetric: String, CaseIterable, Sendable, Codable, Comparable {
  /// The phase's operations per second.
  case throughput
  /// Latency percentiles of one operation type, from the operation's actual start.
  case p50
  case p99
  case p99_9
  /// The harness's own cost per operation (``HarnessOverhead/nanosecondsPerOperation``).
  case harness

  /// The name in tables, threshold files and `--threshold`: `throughput`, `p50`, `p99`,
  /// `p99.9`, `harness`.
  public var displayName: String { self == .p99_9 ? "p99.9" : rawValue }

  /// Whether a larger value is better (throughput) or worse (latencies, overhead).
  public var higherIsBetter: Bool { self == .throughput }

  /// The unit of the figures in tables.
  public var unit: String { self == .throughput ? "ops/s" : "ns" }

  /// Accepts the display name or the raw name (`p99.9` or `p99_9`).
  public init?(name: String) {
    let lowered = name.lowercased()
    if let metric = GateMetric.allCases.first(where: { $0.displayName == lowered || $0.rawValue == lowered })
    {
      self = metric
    } else {
      return nil
    }
  }

  public static func < (lhs: GateMetric, rhs: GateMetric) -> Bool {
    allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
  }
}
