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
/// they ran; `Return=NOT_FOUND` and `Return=ERROR` lines when non-zero, as YCSB prints only the
/// codes it saw. With `measurement.interval=both` the intended-start latencies follow as
/// `[Intended-READ]` sections (YCSB's spelling); with `intended` they replace the plain ones.
/// Latencies are microseconds with up to three decimals (``LatencyFormat``).
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
    let plain = measurementInterval == .intended ? measurements.intendedLatency : measurements.latency
    for operation in Operation.allCases {
      let index = Int(operation.rawValue)
      let operations = measurements.count(operation)
      guard operations > 0 else { continue }
      let name = operation.ycsbName
      if index < plain.count {
        lines += section(name, plain[index], operations: operations, percentiles: percentiles)
      } else {
        lines.append("[\(name)], Operations, \(operations)")
      }
      lines.append("[\(name)], Return=OK, \(measurements.count(operation, .ok))")
      for status in [BindingStatus.notFound, .error] where measurements.count(operation, status) > 0 {
        lines.append("[\(name)], Return=\(status.ycsbName), \(measurements.count(operation, status))")
      }
    }
    if measurementInterval == .both {
      for operation in Operation.allCases {
        let index = Int(operation.rawValue)
        guard index < measurements.intendedLatency.count, measurements.intendedLatency[index].totalCount > 0
        else {
          continue
        }
        lines += section(
          "Intended-" + operation.ycsbName, measurements.intendedLatency[index], percentiles: percentiles)
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
      "[\(name)], MinLatency(us), \(LatencyFormat.microseconds(histogram.min))",
      "[\(name)], MaxLatency(us), \(LatencyFormat.microseconds(histogram.max))",
    ]
    for percentile in percentiles {
      lines.append(
        "[\(name)], \(LatencyFormat.percentileName(percentile)), "
          + LatencyFormat.microseconds(histogram.valueAtPercentile(percentile)))
    }
    return lines
  }
}
