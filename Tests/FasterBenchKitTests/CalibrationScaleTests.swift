import Testing

@testable import FasterBenchKit

/// Calibrated stored-baseline comparisons: machine drift that slows the calibration workload as
/// much as the engine is not a regression; an engine slowdown on a drifting machine still is.
@Suite struct CalibrationScaleTests {
  /// Five rounds of workloada at these throughputs, each after a calibration round.
  /// The harness overhead (100 ns at full speed) slows with the calibration.
  func file(workload: [Double], calibration: [Double]) -> ResultsFile {
    var runs: [RunRecord] = []
    for (index, (throughput, speed)) in zip(workload, calibration).enumerated() {
      var calibrationRun = RegressionFixtures.run(throughput: speed, repetition: index)
      calibrationRun.workload = CalibrationScale.label
      runs.append(calibrationRun)
      var run = RegressionFixtures.run(throughput: throughput, repetition: index)
      run.harnessOverhead.nanosecondsPerOperation = 100 * 5000 / speed
      runs.append(run)
    }
    return ResultsFile(runs: runs)
  }

  static let noise: [Double] = [1.0, 1.01, 0.99, 1.005, 0.995]

  @Test func aSlowerMachineIsNotARegressionOnceCalibrated() throws {
    let baseline = file(workload: Self.noise.map { $0 * 1000 }, calibration: Self.noise.map { $0 * 5000 })
    // Today the machine is 20 % slower: the engine and the calibration alike, round by round.
    let drift: [Double] = [0.8, 0.78, 0.82, 0.79, 0.81]
    let candidate = file(
      workload: zip(Self.noise, drift).map { $0 * $1 * 1000 }, calibration: drift.map { $0 * 5000 })
    let raw = try Comparison(candidate: candidate, baseline: baseline, calibrated: false)
    #expect(raw.exitCode == .regression)
    let calibrated = try Comparison(candidate: candidate, baseline: baseline)
    #expect(
      calibrated.exitCode != .regression, "\(ComparisonReport.text(calibrated).joined(separator: "\n"))")
    #expect(calibrated.notes.contains { $0.hasPrefix("calibrated:") })
    #expect(!calibrated.rows.contains { $0.workload == CalibrationScale.label })
    let harness = try #require(calibrated.rows.first { $0.metric == .harness })
    #expect(harness.verdict == .unchanged)
  }

  @Test func aTenPercentSlowdownOnASlowerMachineIsStillCaught() throws {
    let baseline = file(workload: Self.noise.map { $0 * 1000 }, calibration: Self.noise.map { $0 * 5000 })
    let drift: [Double] = [0.8, 0.78, 0.82, 0.79, 0.81]
    let candidate = file(
      workload: zip(Self.noise, drift).map { $0 * $1 * 900 }, calibration: drift.map { $0 * 5000 })
    let calibrated = try Comparison(candidate: candidate, baseline: baseline)
    #expect(calibrated.exitCode == .regression)
    let throughput = try #require(calibrated.rows.first { $0.metric == .throughput })
    #expect(abs(throughput.changePercent + 10) < 2)
  }

  @Test func latencyPercentilesAreNotScaledByTheCalibration() throws {
    // The machine ran the calibration 35 % faster today, the workload's throughput rose alike,
    // and the operations' own latencies stayed: scaled as throughput is, p50 looked 35 % worse.
    let baseline = file(workload: Self.noise.map { $0 * 1000 }, calibration: Self.noise.map { $0 * 5000 })
    let candidate = file(
      workload: Self.noise.map { $0 * 1350 }, calibration: Self.noise.map { $0 * 6750 })
    let calibrated = try Comparison(candidate: candidate, baseline: baseline)
    let text = ComparisonReport.text(calibrated).joined(separator: "\n")
    #expect(calibrated.exitCode == .success, "\(text)")
    let p50 = try #require(calibrated.rows.first { $0.metric == .p50 })
    #expect(p50.verdict == .unchanged)
    #expect(abs(p50.changePercent) < 1)
  }
}
