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
///
/// Unpaired, the rows of ``GateThresholds/advisoryMetrics`` (tail latencies and harness overhead
/// by default) are advisory: judged and shown, never part of the exit code. Paired, every row
/// counts. Unpaired, a row's limit also rises with the spread of the baseline's repetitions
/// (``GateThresholds/noiseFactor``).
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
  /// One line per candidate run whose operations returned ERROR: such a run fails the gate.
  public let candidateFailures: [String]

  /// Compares the files. Throws when they are not comparable (unless `force`), or, paired, when a
  /// workload has different repetition counts on the two sides.
  ///
  /// - Throws: ``GateError`` (not comparable, or input).
  public init(
    candidate: ResultsFile, baseline: ResultsFile, thresholds: GateThresholds = GateThresholds(),
    mode: Mode = .unpaired, force: Bool = false, calibrated: Bool = true
  ) throws(GateError) {
    let comparability = Comparability(candidate: candidate, baseline: baseline)
    // FasterLog runs against key-value runs measure different things (entries/s vs ops/s):
    // no --force makes that a comparison.
    if !comparability.kindMismatches.isEmpty {
      throw GateError(
        .notComparable,
        "refusing to compare: " + comparability.kindMismatches.joined(separator: "; ")
          + ". Compare a FasterLog run (fasterbench log, or a workload=fasterlog suite entry) with a "
          + "baseline of the same log workload, and key-value runs with a key-value baseline")
    }
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
    // Unpaired comparisons with a calibration workload on both sides compare calibrated
    // figures; the calibration itself is the yardstick, not a row.
    let scale =
      mode == .unpaired && calibrated ? CalibrationScale(candidate: candidate, baseline: baseline) : nil
    if let scale {
      notes.append(
        "calibrated: figures scaled by the calibration workload of their round; the machine ran it at "
          + "\(GateFormat.percent((scale.candidateSpeedRatio - 1) * 100)) of the baseline's speed")
    }
    let candidateSeries = WorkloadSeries.group(candidate).filter {
      scale == nil || $0.label != CalibrationScale.label
    }
    let baselineSeries = WorkloadSeries.group(baseline).filter {
      scale == nil || $0.label != CalibrationScale.label
    }
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
        if metric == .harness && series.runs.allSatisfy(\.isLogRun) { continue }
        rows.append(
          Self.row(
            workload: series.displayName, label: series.label, operation: operation, metric: metric,
            candidate: scale?.samples(series, metric, operation: operation, isCandidate: true)
              ?? series.samples(metric, operation: operation),
            baseline: scale?.samples(other, metric, operation: operation, isCandidate: false)
              ?? other.samples(metric, operation: operation), thresholds: thresholds, mode: mode))
      }
    }
    guard !rows.isEmpty else {
      throw GateError(
        .notComparable,
        "nothing to compare: no workload is in both files (candidate: "
          + "\(candidateSeries.map(\.displayName).joined(separator: ", ")); baseline: "
          + "\(baselineSeries.map(\.displayName).joined(separator: ", "))). Label the runs with "
          + "`suite` or `run --repeat`, or compare results of the same workload")
    }
    if !onlyInBaseline.isEmpty {
      guard force else {
        throw GateError(
          .notComparable,
          "the candidate lacks \(onlyInBaseline.count) of the baseline's \(baselineSeries.count) workloads: "
            + "\(onlyInBaseline.joined(separator: ", ")). Run them too, or --force to judge only the "
            + "\(baselineSeries.count - onlyInBaseline.count) in common")
      }
      notes.append(
        "forced past: the candidate lacks workload(s) \(onlyInBaseline.joined(separator: ", ")) of the baseline"
      )
    }
    self.rows = rows
    self.notes = notes
    candidateFailures = candidate.runs.compactMap(RunErrorSummary.gateLine)
  }

  /// Decides one row.
  ///
  /// The test is one-sided in the direction of the change (a regression has a direction). A row
  /// is also decided when every repetition of one side is beyond every repetition of the other
  /// by more than the threshold (at least three a side): 3 against 3 can never reach p < 0.05,
  /// yet a throughput cut to a third with no overlap is no noise. A change beyond the threshold
  /// that these counts could never show significant is ``ComparisonVerdict/underpowered``.
  public static func row(
    workload: String, label: String, operation: String, metric: GateMetric, candidate: [Double],
    baseline: [Double], thresholds: GateThresholds, mode: Mode
  ) -> ComparisonRow {
    let threshold = thresholds.effectivePercent(metric, workload: label, mode: mode, baseline: baseline)
    // Complete separation by more than the metric's own threshold is evidence whatever the
    // spread: the noise factor widens only the test's limit.
    let separationThreshold = thresholds.percent(metric, workload: label)
    let ratio: MedianRatioBootstrap
    let pWorse: Double
    let pBetter: Double
    let smallestPValue: Double
    let separation: ComparisonVerdict?
    let usable = candidate.count >= 2 && baseline.count >= 2 && SampleStatistics.median(baseline) > 0
    let isPaired = mode == .paired && candidate.count == baseline.count
    if isPaired {
      let ratios = zip(candidate, baseline).map { $0 / $1 }
      ratio = MedianRatioBootstrap(pairwiseRatios: ratios)
      let test = SignedRankTest(differences: ratios.map { $0 > 0 ? log($0) : 0 })
      pWorse = test.pValueCandidateWorse(higherIsBetter: metric.higherIsBetter)
      pBetter = test.pValueCandidateWorse(higherIsBetter: !metric.higherIsBetter)
      smallestPValue = SignedRankTest.smallestOneSidedPValue(ratios.count)
      separation = Self.separation(
        candidateOverBaseline: ratios, threshold: threshold, higherIsBetter: metric.higherIsBetter)
    } else {
      ratio = MedianRatioBootstrap(candidate: candidate, baseline: baseline)
      let test = MannWhitneyTest(candidate, baseline)
      pWorse = test.pValueCandidateWorse(higherIsBetter: metric.higherIsBetter)
      pBetter = test.pValueCandidateWorse(higherIsBetter: !metric.higherIsBetter)
      smallestPValue = MannWhitneyTest.smallestOneSidedPValue(candidate.count, baseline.count)
      separation = Self.separation(
        candidate: candidate, baseline: baseline, threshold: separationThreshold,
        higherIsBetter: metric.higherIsBetter)
    }
    let change = (ratio.ratio - 1) * 100
    let worse = metric.higherIsBetter ? -change : change
    let pValue = worse > 0 ? pWorse : pBetter
    var verdict: ComparisonVerdict
    var repetitionsNeeded: Int? = nil
    if !usable || !change.isFinite {
      verdict = .insufficient
    } else {
      let belowFloor =
        metric != .throughput
        && abs(SampleStatistics.median(candidate) - SampleStatistics.median(baseline))
          < thresholds.latencyFloor(metric, mode: mode)
      if belowFloor {
        verdict = .unchanged
      } else if let separation, separation == (worse > 0 ? .regression : .improvement) {
        // Every repetition beyond every other by more than the metric's threshold.
        verdict = separation
      } else if abs(change) <= threshold {
        verdict = .unchanged
      } else if pValue < thresholds.alpha {
        verdict = worse > 0 ? .regression : .improvement
      } else if smallestPValue >= thresholds.alpha {
        verdict = .underpowered
        repetitionsNeeded = Self.repetitionsNeeded(alpha: thresholds.alpha, paired: isPaired)
      } else {
        verdict = .noisy
      }
    }
    var row = ComparisonRow(
      workload: workload, operation: operation, metric: metric, baseline: baseline, candidate: candidate,
      baselineMedian: SampleStatistics.median(baseline), candidateMedian: SampleStatistics.median(candidate),
      baselineNoiseFraction: SampleStatistics.noiseFraction(baseline),
      candidateNoiseFraction: SampleStatistics.noiseFraction(candidate), ratio: ratio, pValue: pValue,
      thresholdPercent: threshold, verdict: verdict)
    row.repetitionsNeeded = repetitionsNeeded
    row.isAdvisory = thresholds.isAdvisory(metric, mode: mode)
    return row
  }

  /// Repetitions per side (pairs, paired) whose best case reaches p < alpha.
  public static func repetitionsNeeded(alpha: Double, paired: Bool) -> Int {
    for count in 2...64 {
      let smallest =
        paired
        ? SignedRankTest.smallestOneSidedPValue(count) : MannWhitneyTest.smallestOneSidedPValue(count, count)
      if smallest < alpha { return count }
    }
    return 64
  }

  /// `.regression` (or `.improvement`) when, with at least three repetitions a side, even the
  /// candidate's best (worst) repetition is worse (better) than the baseline's worst (best) by
  /// more than the threshold.
  static func separation(
    candidate: [Double], baseline: [Double], threshold: Double, higherIsBetter: Bool
  ) -> ComparisonVerdict? {
    guard candidate.count >= 3, baseline.count >= 3 else { return nil }
    let factor = threshold / 100
    let (lowCandidate, highCandidate) = (candidate.min()!, candidate.max()!)
    let (lowBaseline, highBaseline) = (baseline.min()!, baseline.max()!)
    let candidateHigher = lowCandidate > highBaseline * (1 + factor)
    let candidateLower = highCandidate < lowBaseline * (1 - factor)
    if candidateLower { return higherIsBetter ? .regression : .improvement }
    if candidateHigher { return higherIsBetter ? .improvement : .regression }
    return nil
  }

  /// The paired form: every pairwise ratio beyond the threshold, in one direction.
  static func separation(candidateOverBaseline ratios: [Double], threshold: Double, higherIsBetter: Bool)
    -> ComparisonVerdict?
  {
    guard ratios.count >= 3 else { return nil }
    let factor = threshold / 100
    if ratios.allSatisfy({ $0 < 1 - factor }) { return higherIsBetter ? .regression : .improvement }
    if ratios.allSatisfy({ $0 > 1 + factor }) { return higherIsBetter ? .improvement : .regression }
    return nil
  }

  /// The rows that decide the exit code (advisory rows left out).
  public var regressions: [ComparisonRow] { rows.filter { $0.verdict == .regression && !$0.isAdvisory } }
  public var improvements: [ComparisonRow] { rows.filter { $0.verdict == .improvement && !$0.isAdvisory } }
  public var underpowered: [ComparisonRow] { rows.filter { $0.verdict == .underpowered && !$0.isAdvisory } }
  /// Advisory rows that would have been a regression: reported, not gating.
  public var advisoryRegressions: [ComparisonRow] {
    rows.filter { $0.verdict == .regression && $0.isAdvisory }
  }

  /// 5 when candidate operations returned ERROR (its figures measure failures, not work), else
  /// 2 with any regression, else 6 when a change could not be judged for too few repetitions,
  /// else 4 with any improvement, else 0.
  public var exitCode: GateExitCode {
    if !candidateFailures.isEmpty { return .operationErrors }
    if !regressions.isEmpty { return .regression }
    if !underpowered.isEmpty { return .tooFewRepetitions }
    if !improvements.isEmpty { return .improvementOnly }
    return .success
  }
}
