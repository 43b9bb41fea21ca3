import Foundation
import Histogram
import YCSB

/// YCSB's periodic status line (stderr, with `-s`):
///
///     2026-11-25 09:30:00:123 10 sec: 1234567 operations; 123456.78 current ops/sec; est completion in 1 minute 5 seconds [READ: Count=..., Max=..., Min=..., Avg=..., 90=..., 99=..., 99.9=..., 99.99=...] [UPDATE: ...]
///
/// Latencies are the interval's, in microseconds (see ``LatencyFormat``).
public enum StatusLine {
  public static func render(
    date: Date, elapsedSeconds: Double, totalOperations: UInt64, currentOperationsPerSecond: Double,
    remainingOperations: Int?, interval: OperationMeasurements
  ) -> String {
    var line = "\(timestamp(date)) \(Int(elapsedSeconds.rounded(.down))) sec: \(totalOperations) operations; "
    line += "\(LatencyFormat.twoDecimals(currentOperationsPerSecond)) current ops/sec; "
    if let remaining = remainingOperations, remaining > 0, currentOperationsPerSecond > 0 {
      line += "est completion in \(remainingTime(Double(remaining) / currentOperationsPerSecond)) "
    }
    for operation in Operation.allCases {
      let index = Int(operation.rawValue)
      if index < interval.latency.count, interval.latency[index].totalCount > 0 {
        line +=
          summary(operation.ycsbName, interval.latency[index], count: interval.count(operation, .ok)) + " "
      }
    }
    for operation in Operation.allCases {
      let index = Int(operation.rawValue)
      if index < interval.intendedLatency.count, interval.intendedLatency[index].totalCount > 0 {
        line += summary("Intended-" + operation.ycsbName, interval.intendedLatency[index]) + " "
      }
    }
    return String(line.dropLast(line.hasSuffix(" ") ? 1 : 0))
  }

  /// `count`: the operations counted, when not every one was timed (`measurement.sampling`).
  static func summary(_ name: String, _ histogram: Histogram<UInt64>, count: UInt64? = nil) -> String {
    "[\(name): Count=\(count ?? histogram.totalCount), Max=\(LatencyFormat.microseconds(histogram.max)), "
      + "Min=\(LatencyFormat.microseconds(histogram.ycsbMin)), Avg=\(LatencyFormat.microseconds(histogram.mean)), "
      + "90=\(LatencyFormat.microseconds(histogram.ycsbValue(atPercentile: 90))), "
      + "99=\(LatencyFormat.microseconds(histogram.ycsbValue(atPercentile: 99))), "
      + "99.9=\(LatencyFormat.microseconds(histogram.ycsbValue(atPercentile: 99.9))), "
      + "99.99=\(LatencyFormat.microseconds(histogram.ycsbValue(atPercentile: 99.99)))]"
  }

  /// YCSB's `yyyy-MM-dd HH:mm:ss:SSS`, local time.
  static func timestamp(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss:SSS"
    return formatter.string(from: date)
  }

  /// YCSB's RemainingFormatter: the two largest non-zero units, e.g. `1 hour 5 minutes`.
  static func remainingTime(_ seconds: Double) -> String {
    var rest = Int(seconds.rounded(.up))
    let units: [(String, Int)] = [("day", 86_400), ("hour", 3_600), ("minute", 60), ("second", 1)]
    var parts: [String] = []
    for (name, size) in units where rest >= size || (name == "second" && parts.isEmpty) {
      let count = rest / size
      rest %= size
      parts.append("\(count) \(name)\(count == 1 ? "" : "s")")
      if parts.count == 2 { break }
    }
    return parts.joined(separator: " ")
  }
}
