import Histogram
import YCSB

/// YCSB's final text report for one phase, one `[SECTION], Metric, value` line each:
///
///     [OVERALL], RunTime(ms), 10112
///     [OVERALL], Throughput(ops/sec), 98892.4
///     [READ], Operations, 500181
///     [READ], AverageLatency(us), 0.312
///     [READ], MinLatency(us), 0.1
///     [READ], MaxLatency(us), 912
///     [READ], 50thPercentileLatency(us), 0.29
///     [READ], 95thPercentileLatency(us), 0.6
///     ...
///     [READ], Return=OK, 500181
///
/// Operation types appear in YCSB's order (READ, UPDATE, INSERT, SCAN, READ-MODIFY-WRITE) when
/// they ran. As YCSB 0.17 reports them, `[READ], Operations` and its latencies cover the
/// operations that returned OK; those that did not are timed under `[READ-FAILED]` (which has
/// no `Return=` lines), and `[READ], Return=…` lists only the codes that occurred. Percentiles
/// use HdrHistogram 2.1.4's nearest-rank rule (``Histogram/ycsbValue(atPercentile:)``), so the
/// 100th is `MaxLatency`. With `measurement.interval=both` the intended-start latencies follow
/// as `[Intended-READ]` (and `[Intended-READ-FAILED]`) sections, YCSB's spelling; with
/// `intended` they replace the plain ones. Latencies are microseconds with up to three decimals
/// (``LatencyFormat``).
public enum TextReport {
  /// The lines of one phase; `prefix` is put before each (`"# "` marks the load phase of `run`
  /// as a comment that YCSB parsers skip).
  public static func lines(
    for result: PhaseResult, percentiles: [Double], measurementInterval: MeasurementInterval,
    prefix: String = ""
  ) -> [String] {
    var lines: [String] = []
    let runtimeMilliseconds = Int((result.runtimeNanoseconds / 1e6).rounded())
    lines.append("[OVERALL], RunTime(ms), \(runtimeMilliseconds)")
    lines.append(
      "[OVERALL], Throughput(ops/sec), \(LatencyFormat.rate(result.throughputOperationsPerSecond))")
    let measurements = result.measurements
    let intendedOnly = measurementInterval == .intended
    let plain = intendedOnly ? measurements.intendedLatency : measurements.latency
    let plainFailed = intendedOnly ? measurements.failedIntendedLatency : measurements.failedLatency
    for operation in Operation.allCases {
      let index = Int(operation.rawValue)
      guard measurements.count(operation) > 0 else { continue }
      let name = operation.ycsbName
      let succeeded = measurements.count(operation, .ok)
      let failed = measurements.count(operation) - succeeded
      if index < plain.count {
        lines += section(name, plain[index], operations: succeeded, percentiles: percentiles)
      } else {
        lines.append("[\(name)], Operations, \(succeeded)")
      }
      for status in BindingStatus.allCases where measurements.count(operation, status) > 0 {
        lines.append("[\(name)], Return=\(status.ycsbName), \(measurements.count(operation, status))")
      }
      if failed > 0 {
        if index < plainFailed.count {
          lines += section(name + "-FAILED", plainFailed[index], operations: failed, percentiles: percentiles)
        } else {
          lines.append("[\(name)-FAILED], Operations, \(failed)")
        }
      }
    }
    if measurementInterval == .both {
      for operation in Operation.allCases {
        let index = Int(operation.rawValue)
        for (suffix, histograms) in [
          ("", measurements.intendedLatency), ("-FAILED", measurements.failedIntendedLatency),
        ]
        where index < histograms.count && histograms[index].totalCount > 0 {
          lines += section(
            "Intended-" + operation.ycsbName + suffix, histograms[index], percentiles: percentiles)
        }
      }
    }
    return lines.map { prefix + $0 }
  }

  /// `operations`: the operations counted, when not every one was timed
  /// (`measurement.sampling`); the latency lines describe the timed ones.
  static func section(
    _ name: String, _ histogram: Histogram<UInt64>, operations: UInt64? = nil, percentiles: [Double]
  ) -> [String] {
    var lines = [
      "[\(name)], Operations, \(operations ?? histogram.totalCount)",
      "[\(name)], AverageLatency(us), \(LatencyFormat.microseconds(histogram.mean))",
      "[\(name)], MinLatency(us), \(LatencyFormat.microseconds(histogram.ycsbMin))",
      "[\(name)], MaxLatency(us), \(LatencyFormat.microseconds(histogram.totalCount > 0 ? histogram.max : 0))",
    ]
    for percentile in percentiles {
      lines.append(
        "[\(name)], \(LatencyFormat.percentileName(percentile)), "
          + LatencyFormat.microseconds(histogram.ycsbValue(atPercentile: percentile)))
    }
    return lines
  }
}
