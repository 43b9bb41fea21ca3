import Foundation
import Prometheus

/// The perf smoke job's verdict and figures in Prometheus's text format (`fasterbench
/// textfile`, called by `scripts/perf-smoke.sh`): one file per run, for node_exporter's
/// textfile collector. Medians over the repetitions, as the gate compares them.
///
/// Series (labels `suite`, plus `workload` and `operation` where they apply):
/// `fasterbench_smoke_exit_code` (the job's exit status: 0 ok, 2 regression, ...),
/// `fasterbench_smoke_regression` (1 when the exit status says regression),
/// `fasterbench_smoke_throughput_operations_per_second`, `fasterbench_smoke_latency_p99_seconds`,
/// `fasterbench_smoke_repetitions`, `fasterbench_smoke_info` (1, with `commit` and `profile`),
/// `fasterbench_smoke_timestamp_seconds` (when the file was written).
public enum SmokeTextfile {
  /// The exit status `perf-smoke.sh` uses for a regression.
  static let regressionExitCode = 2

  public static func render(results: ResultsFile, suite: String, exitCode: Int, now: Date = Date()) -> String
  {
    let registry = PrometheusCollectorRegistry()
    let suiteLabel = [("suite", suite)]
    registry.makeGauge(
      name: "fasterbench_smoke_exit_code", labels: suiteLabel,
      help:
        "The smoke job's exit status: 0 ok, 2 regression, 3 not comparable, 5 operation errors, 6 too few repetitions."
    ).set(Double(exitCode))
    registry.makeGauge(
      name: "fasterbench_smoke_regression", labels: suiteLabel,
      help: "1 when the smoke job found a regression against the baseline."
    ).set(exitCode == regressionExitCode ? 1.0 : 0.0)
    let first = results.runs.first
    registry.makeGauge(
      name: "fasterbench_smoke_info",
      labels: suiteLabel + [
        ("commit", first?.build.gitCommit ?? "unknown"), ("profile", first?.machine.profileName ?? "unknown"),
      ],
      help: "Always 1: the commit measured and the machine profile, as labels."
    ).set(1.0)
    registry.makeGauge(
      name: "fasterbench_smoke_timestamp_seconds", labels: suiteLabel,
      help: "When the smoke job wrote this file (Unix time)."
    ).set(now.timeIntervalSince1970)
    for series in WorkloadSeries.group(results) {
      let workload = suiteLabel + [("workload", series.displayName)]
      let throughput = series.samples(.throughput)
      guard !throughput.isEmpty else { continue }
      registry.makeGauge(
        name: "fasterbench_smoke_repetitions", labels: workload,
        help: "Repetitions of the workload in the run."
      ).set(Double(throughput.count))
      registry.makeGauge(
        name: "fasterbench_smoke_throughput_operations_per_second", labels: workload,
        help: "Median over the repetitions of the measured phase's operations per second."
      ).set(SampleStatistics.median(throughput))
      for operation in series.operationNames {
        let p99 = series.samples(.p99, operation: operation)
        guard !p99.isEmpty else { continue }
        registry.makeGauge(
          name: "fasterbench_smoke_latency_p99_seconds", labels: workload + [("operation", operation)],
          help: "Median over the repetitions of the 99th latency percentile, per operation, in seconds."
        ).set(SampleStatistics.median(p99) / 1e9)
      }
    }
    return registry.emitToString()
  }
}
