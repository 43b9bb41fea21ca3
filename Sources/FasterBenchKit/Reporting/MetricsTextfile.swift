import CoreMetrics
import FasterCore
import Foundation
import Histogram
import Prometheus
import YCSB

/// `fasterbench --metrics-file PATH`: the run's figures and the engine's metrics in
/// Prometheus's text exposition format, rewritten (atomically) at every status interval and
/// at the end of each phase: the file node_exporter's textfile collector reads, so a cron
/// job feeds an existing Prometheus without a server of ours.
///
/// The engine's figures come from ``FasterKVMetrics`` (prefix `faster_`) through
/// swift-prometheus's swift-metrics factory; the run's own (prefix `fasterbench_`) are set
/// here. Every series carries the `binding`, `command` and `workload` labels. The README's
/// "Observability" section lists them all.
///
/// Thread safety: called from the runner's coordinating thread only; the registry itself is
/// thread-safe.
public final class MetricsTextfile: Sendable {
  public let path: String
  let registry = PrometheusCollectorRegistry()
  /// The labels of every series: binding, command, workload.
  let labels: [(String, String)]
  /// What the engine bindings report into (`KeyValueBinding.reportMetrics`).
  public let storeMetrics: FasterKVMetrics
  /// The latency quantiles written per operation.
  static let quantiles: [(label: String, percentile: Double)] = [
    ("0.5", 50), ("0.9", 90), ("0.99", 99), ("0.999", 99.9),
  ]

  public init(path: String, binding: String, command: String, workload: String) {
    self.path = path
    labels = [("binding", binding), ("command", command), ("workload", workload)]
    storeMetrics = FasterKVMetrics(
      dimensions: labels, factory: PrometheusMetricsFactory(registry: registry))
    registry.makeGauge(
      name: "fasterbench_last_update_timestamp_seconds", labels: labels,
      help: "When fasterbench last rewrote this file (Unix time): alert when it goes stale."
    ).set(Date().timeIntervalSince1970)
  }

  private func gauge(_ name: String, _ extra: [(String, String)], help: String) -> Prometheus.Gauge {
    registry.makeGauge(name: name, labels: labels + extra, help: help)
  }

  /// The harness's own cost per operation, measured before the phases.
  public func harnessOverhead(nanosecondsPerOperation: Double) {
    gauge(
      "fasterbench_harness_overhead_seconds", [],
      help: "The benchmark loop's own cost per operation (no store), in seconds."
    ).set(nanosecondsPerOperation / 1e9)
  }

  /// A status interval ended: `interval` holds its operations; `elapsedSeconds` and
  /// `totalOperations` count from the phase's measured start.
  public func intervalEnded(
    phase: PhaseKind, elapsedSeconds: Double, totalOperations: UInt64, operationsPerSecond: Double,
    interval: OperationMeasurements
  ) {
    let phaseLabel = [("phase", phase.rawValue)]
    gauge(
      "fasterbench_elapsed_seconds", phaseLabel, help: "Measured seconds of the phase so far."
    ).set(elapsedSeconds)
    gauge(
      "fasterbench_interval_throughput_operations_per_second", phaseLabel,
      help: "Operations per second in the last status interval."
    ).set(operationsPerSecond)
    gauge(
      "fasterbench_throughput_operations_per_second", phaseLabel,
      help: "Operations per second over the phase so far (the whole phase once it ended)."
    ).set(elapsedSeconds > 0 ? Double(totalOperations) / elapsedSeconds : 0)
    addCounts(interval, phase: phase)
    setLatencies(
      interval, phase: phase, name: "fasterbench_interval_latency_seconds",
      help: "Latency quantiles of the last status interval, per operation, in seconds.")
    touch()
  }

  /// A phase ended: its whole-phase throughput and latency quantiles, and `remainder` (the
  /// operations after the last status interval) added to the counts.
  public func phaseEnded(_ result: PhaseResult, remainder: OperationMeasurements) {
    let phaseLabel = [("phase", result.phase.rawValue)]
    addCounts(remainder, phase: result.phase)
    gauge("fasterbench_elapsed_seconds", phaseLabel, help: "Measured seconds of the phase so far.")
      .set(result.runtimeNanoseconds / 1e9)
    gauge(
      "fasterbench_throughput_operations_per_second", phaseLabel,
      help: "Operations per second over the phase so far (the whole phase once it ended)."
    ).set(result.throughputOperationsPerSecond)
    gauge(
      "fasterbench_phase_completed", phaseLabel, help: "1 once the phase ended (0 while it runs)."
    ).set(1.0)
    setLatencies(
      result.measurements, phase: result.phase, name: "fasterbench_latency_seconds",
      help: "Latency quantiles over the whole phase, per operation, in seconds.")
    touch()
  }

  /// Marks a phase as started (so a dashboard sees `fasterbench_phase_completed 0`).
  public func phaseStarted(_ phase: PhaseKind) {
    gauge(
      "fasterbench_phase_completed", [("phase", phase.rawValue)],
      help: "1 once the phase ended (0 while it runs)."
    ).set(0.0)
  }

  private func addCounts(_ measurements: OperationMeasurements, phase: PhaseKind) {
    for operation in Operation.allCases {
      for status in BindingStatus.allCases {
        let count = measurements.count(operation, status)
        // Created on first use, so the file lists only the operations a workload runs.
        guard count > 0 else { continue }
        registry.makeCounter(
          name: "fasterbench_operations_total",
          labels: labels + [
            ("phase", phase.rawValue), ("operation", operation.ycsbName), ("status", status.ycsbName),
          ],
          help: "Operations completed, per operation and return status."
        ).increment(by: Int64(count))
      }
    }
  }

  private func setLatencies(
    _ measurements: OperationMeasurements, phase: PhaseKind, name: String, help: String
  ) {
    for operation in Operation.allCases {
      guard let histogram = measurements.allLatency(operation), histogram.totalCount > 0 else { continue }
      for quantile in Self.quantiles {
        registry.makeGauge(
          name: name,
          labels: labels + [
            ("phase", phase.rawValue), ("operation", operation.ycsbName), ("quantile", quantile.label),
          ],
          help: help
        ).set(Double(histogram.ycsbValue(atPercentile: quantile.percentile)) / 1e9)
      }
    }
  }

  private func touch() {
    registry.makeGauge(
      name: "fasterbench_last_update_timestamp_seconds", labels: labels,
      help: "When fasterbench last rewrote this file (Unix time): alert when it goes stale."
    ).set(Date().timeIntervalSince1970)
  }

  /// The exposition text now.
  public func render() -> String { registry.emitToString() }

  /// Replaces the file with the exposition text (write to a temporary file, then rename:
  /// the textfile collector never reads half a file).
  public func write() throws(BindingError) {
    do {
      try AtomicFileWriter.write(render(), to: path)
    } catch {
      throw BindingError("--metrics-file: \(error.description)")
    }
  }
}
