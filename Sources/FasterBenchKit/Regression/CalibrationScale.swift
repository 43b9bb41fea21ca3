/// Calibrated stored-baseline comparisons: each gating round also runs a fixed calibration
/// workload (`suite --calibration`, label `calibration`, on the dictionary binding, which no
/// engine change touches). A round's figures are scaled by how fast the machine ran the
/// calibration in that round, relative to the baseline's median calibration, so a machine
/// that is 15 % busier today slows the calibration as much as the engine and the ratio stays.
public struct CalibrationScale: Sendable {
  /// The calibration workload's label.
  public static let label = "calibration"

  /// Per side, repetition index to calibration throughput.
  let candidate: [Int: Double]
  let baseline: [Int: Double]
  /// The baseline's median calibration throughput: the reference speed.
  public let reference: Double

  /// Nil unless both sides ran the calibration workload.
  public init?(candidate: ResultsFile, baseline: ResultsFile) {
    func speeds(_ file: ResultsFile) -> [Int: Double] {
      var found: [Int: Double] = [:]
      for run in file.runs where run.workload == Self.label {
        if let throughput = WorkloadSeries.measuredPhase(run)?.throughputOperationsPerSecond, throughput > 0 {
          found[run.repetition ?? 0] = throughput
        }
      }
      return found
    }
    let candidateSpeeds = speeds(candidate)
    let baselineSpeeds = speeds(baseline)
    guard !candidateSpeeds.isEmpty, !baselineSpeeds.isEmpty else { return nil }
    self.candidate = candidateSpeeds
    self.baseline = baselineSpeeds
    reference = SampleStatistics.median(Array(baselineSpeeds.values))
  }

  /// The machine's speed in the candidate's rounds relative to the baseline's (median ratio).
  public var candidateSpeedRatio: Double {
    SampleStatistics.median(Array(candidate.values)) / reference
  }

  /// The factor a run's throughput is multiplied by (its latencies divided by): the reference
  /// speed over its round's calibration speed (that side's median when its round lacks one).
  /// FasterLog runs are never scaled: they wait on the device, which the calibration (CPU
  /// and memory) does not measure.
  func factor(for run: RunRecord, isCandidate: Bool) -> Double {
    if run.isLogRun { return 1 }
    let speeds = isCandidate ? candidate : baseline
    let speed = speeds[run.repetition ?? 0] ?? SampleStatistics.median(Array(speeds.values))
    return speed > 0 ? reference / speed : 1
  }

  /// `series`'s samples of `metric`, scaled run by run: throughput, and the harness overhead
  /// (a wall time per operation over a batch, measured at the start of the same run). Latency
  /// percentiles are not scaled: they time one operation, which a busy machine rarely
  /// interrupts, and barely move while the calibration's throughput moves by a third (measured:
  /// same-build p50 within about 15 % uncalibrated, but +45 % once scaled).
  func samples(_ series: WorkloadSeries, _ metric: GateMetric, operation: String, isCandidate: Bool)
    -> [Double]
  {
    series.runs.compactMap { run -> Double? in
      let single = WorkloadSeries(
        label: series.label, binding: series.binding, command: series.command, runs: [run])
      guard let value = single.samples(metric, operation: operation).first else { return nil }
      let factor = factor(for: run, isCandidate: isCandidate)
      switch metric {
      case .throughput: return value * factor
      case .harness: return value / factor
      case .p50, .p99, .p99_9: return value
      }
    }
  }
}
