import Foundation

/// A candidate compared against a baseline: a row per workload, operation and metric, each with
/// a verdict, and the exit code the verdicts add up to.
///
/// A row is a regression when the rank test finds the two sides different at the significance
/// level (`alpha`) *and* the change is worse than the metric's threshold; an improvement, the
/// same the other way. Unpaired (stored baseline): Mann–Whitney U over the repetitions, the
/// change is the ratio of medians. Paired (A/B runs in turn): the i-th candidate run is paired
/// with the i-th baseline run, the change is the median pairwise ratio and the test is the
/// signed-rank test of the log ratios, so drift that hits both runs of a pair cancels.
public struct Comparison: Sendable {
  public enum Mode: String, Sendable {
    case unpaired
    case paired
  }

  public let mode: Mode
  public let rows: [ComparisonRow]
  /// Workloads in only one of the two files.
  public let onlyInCandidate: [String]
  public let onlyInBaseline: [String]
  /// From the comparability check.
  public let notes: [String]
  public let alpha: Double

  /// Compares the files. Throws when they are not comparable (unless `force`), or, paired, when a
  /// workload has different repetition counts on the two sides.
  ///
  /// - Throws: ``GateError`` (not comparable, or input).
  public init(
    candidate: ResultsFile, baseline: ResultsFile, thresholds: GateThresholds = GateThresholds(),
    mode: Mode = .unpaired, force: Bool = false
  ) throws(GateError) {
    let comparability = Comparability(candidate: candidate, baseline: baseline)
    var notes = comparability.notes
    if !comparability.isComparable {
      let list = comparability.differences.map { "  - " + $0 }.joined(separator: "\n")
      guard force else {
        throw GateError(
          .notComparable,
          "refusing to compare: the candidate and the baseline differ in\n\(list)\n"
            + "(--force compares them anyway)")
      }
      notes += comparability.differences.map { "forced past: " + $0 }
    }
    self.mode = mode
    self.alpha = thresholds.alpha
    let candidateSeries = WorkloadSeries.group(candidate)
    let baselineSeries = WorkloadSeries.group(baseline)
    let baselineByKey = Dictionary(
      baselineSeries.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    let candidateKeys = Set(candidateSeries.map(\.key))
    onlyInBaseline = baselineSeries.filter { !candidateKeys.contains($0.key) }.map(\.displayName)
    onlyInCandidate = candidateSeries.filter { baselineByKey[$0.key] == nil }.map(\.displayName)
    var rows: [ComparisonRow] = []
    for series in candidateSeries {
      guard let other = baselineByKey[series.key] else { continue }
      if mode == .paired && series.runs.count != other.runs.count {
        throw GateError(
          .input,
          "paired comparison of workload \(series.displayName): the candidate has \(series.runs.count) "
            + "repetitions, the baseline \(other.runs.count); pairs need equal counts")
      }
      var keys: [(String, GateMetric)] = [("ALL", .throughput)]
      for operation in series.operationNames {
        keys += [(operation, .p50), (operation, .p99), (operation, .p99_9)]
      }
      keys.append(("ALL", .harness))
      for (operation, metric) in keys {
        rows.append(
          Self.row(
            workload: series.displayName, label: series.label, operation: operation, metric: metric,
            candidate: series.samples(metric, operation: operation),
            baseline: other.samples(metric, operation: operation), thresholds: thresholds, mode: mode))
      }
    }
    self.rows = rows
    self.notes = notes
  }

  /// Decides one row.
  public static func row(
    workload: String, label: String, operation: String, metric: GateMetric, candidate: [Double],
    baseline: [Double], thresholds: GateThresholds, mode: Mode
  ) -> ComparisonRow {
    let threshold = thresholds.percent(metric, workload: label)
    let ratio: MedianRatioBootstrap
    let pValue: Double
    let usable = candidate.count >= 2 && baseline.count >= 2 && SampleStatistics.median(baseline) > 0
    if mode == .paired && candidate.count == baseline.count {
      let ratios = zip(candidate, baseline).map { $0 / $1 }
      ratio = MedianRatioBootstrap(pairwiseRatios: ratios)
      pValue = SignedRankTest(differences: ratios.map { $0 > 0 ? log($0) : 0 }).pValue
    } else {
      ratio = MedianRatioBootstrap(candidate: candidate, baseline: baseline)
      pValue = MannWhitneyTest(candidate, baseline).pValue
    }
    let change = (ratio.ratio - 1) * 100
    let verdict: ComparisonVerdict
    if !usable || !change.isFinite {
      verdict = .insufficient
    } else {
      let worse = metric.higherIsBetter ? -change : change
      let belowFloor =
        metric != .throughput
        && abs(SampleStatistics.median(candidate) - SampleStatistics.median(baseline))
          < thresholds.latencyFloorNanoseconds
      if abs(change) <= threshold || belowFloor {
        verdict = .unchanged
      } else if pValue >= thresholds.alpha {
        verdict = .noisy
      } else {
        verdict = worse > 0 ? .regression : .improvement
      }
    }
    return ComparisonRow(
      workload: workload, operation: operation, metric: metric, baseline: baseline, candidate: candidate,
      baselineMedian: SampleStatistics.median(baseline), candidateMedian: SampleStatistics.median(candidate),
      baselineNoiseFraction: SampleStatistics.noiseFraction(baseline),
      candidateNoiseFraction: SampleStatistics.noiseFraction(candidate), ratio: ratio, pValue: pValue,
      thresholdPercent: threshold, verdict: verdict)
  }

  public var regressions: [ComparisonRow] { rows.filter { $0.verdict == .regression } }
  public var improvements: [ComparisonRow] { rows.filter { $0.verdict == .improvement } }

  /// 2 with any regression, else 4 with any improvement, else 0.
  public var exitCode: GateExitCode {
    if !regressions.isEmpty { return .regression }
    if !improvements.isEmpty { return .improvementOnly }
    return .success
  }
}
