/// One workload × operation × metric of a comparison, with both sides' samples and the verdict.
public struct ComparisonRow: Sendable {
  public let workload: String
  /// `ALL` for throughput and harness overhead, else the operation type (`READ`, ...).
  public let operation: String
  public let metric: GateMetric
  public let baseline: [Double]
  public let candidate: [Double]
  public let baselineMedian: Double
  public let candidateMedian: Double
  /// Robust relative spread of each side (see ``SampleStatistics/noiseFraction(_:)``).
  public let baselineNoiseFraction: Double
  public let candidateNoiseFraction: Double
  /// The ratio estimate (median ratio, or median pairwise ratio) and its bootstrap interval.
  public let ratio: MedianRatioBootstrap
  /// The rank test's one-sided p-value in the direction of the change (Mann–Whitney, or
  /// signed-rank when paired): a regression has a direction.
  public let pValue: Double
  public let thresholdPercent: Double
  public let verdict: ComparisonVerdict
  /// For an ``ComparisonVerdict/underpowered`` row: the repetitions per side (pairs, paired)
  /// that could reach significance.
  public var repetitionsNeeded: Int? = nil
  /// Judged and shown, but never part of the exit code (see ``GateThresholds/advisoryMetrics``).
  public var isAdvisory = false

  /// The change in percent: (ratio - 1) * 100; positive means the figure went up.
  public var changePercent: Double { (ratio.ratio - 1) * 100 }
}
