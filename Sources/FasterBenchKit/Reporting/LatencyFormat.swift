import Foundation

/// Number formatting for the text report and status lines.
///
/// YCSB reports latencies in whole microseconds; this engine's operations take well under one,
/// so fasterbench prints microseconds with up to three decimals (nanosecond resolution), trailing
/// zeros dropped: `0.312`, `12`, `1.5`. Parsers that read the values as numbers work unchanged.
enum LatencyFormat {
  /// Nanoseconds as microseconds with up to three decimals.
  static func microseconds(_ nanoseconds: Double) -> String {
    trimmed(String(format: "%.3f", nanoseconds / 1000))
  }

  static func microseconds(_ nanoseconds: UInt64) -> String {
    microseconds(Double(nanoseconds))
  }

  /// A throughput or other rate, as Java's `Double.toString` would print it (shortest form).
  static func rate(_ value: Double) -> String {
    value.isFinite ? String(describing: value) : "0.0"
  }

  /// YCSB's status line numbers: `#.##`.
  static func twoDecimals(_ value: Double) -> String {
    trimmed(String(format: "%.2f", value))
  }

  /// YCSB's percentile line name: an integer percentile gets its English ordinal
  /// (`1st`, `2nd`, `3rd`, `11th`–`13th`, `21st`, `95th`), a fractional one none
  /// (`99.9PercentileLatency(us)`), as YCSB 0.17's `OneMeasurementHdrHistogram` writes them.
  static func percentileName(_ percentile: Double) -> String {
    guard percentile == percentile.rounded() else {
      return "\(trimmed(String(format: "%.4f", percentile)))PercentileLatency(us)"
    }
    let number = Int(percentile)
    let suffix: String
    switch (number % 100, number % 10) {
    case (11...13, _): suffix = "th"
    case (_, 1): suffix = "st"
    case (_, 2): suffix = "nd"
    case (_, 3): suffix = "rd"
    default: suffix = "th"
    }
    return "\(number)\(suffix)PercentileLatency(us)"
  }

  private static func trimmed(_ text: String) -> String {
    guard text.contains(".") else { return text }
    var result = Substring(text)
    while result.hasSuffix("0") { result = result.dropLast() }
    if result.hasSuffix(".") { result = result.dropLast() }
    return String(result)
  }
}
