import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A progress line for long phases on a terminal: rewritten in place (`\r`) at each status
/// interval with the operations done, the rate and the time left, and ended with a newline
/// when the phase ends. Off when stderr is not a terminal (cron, CI, a log file) and when `-s`
/// prints YCSB's status lines instead.
///
/// Thread safety: written from the runner's coordinating thread only.
public struct ProgressLine: Sendable {
  /// Where the line goes; stderr unbuffered for the real one.
  let write: @Sendable (String) -> Void

  public init(write: @escaping @Sendable (String) -> Void) {
    self.write = write
  }

  /// The terminal's progress line, or nil when stderr is not a terminal.
  public static var standardErrorIfTerminal: ProgressLine? {
    guard isatty(STDERR_FILENO) == 1 else { return nil }
    return ProgressLine { text in FileHandle.standardError.write(Data(text.utf8)) }
  }

  /// `load: 12500000/50000000 operations (25 %), 1.52 M ops/s, 25 seconds left`; without a
  /// total (a time-bounded run), the count and the rate only.
  public static func render(phase: String, done: UInt64, total: Int?, operationsPerSecond: Double) -> String {
    var text = "\(phase): \(done)"
    if let total, total > 0 {
      let percent = min(100, Int(Double(done) / Double(total) * 100))
      text += "/\(total) operations (\(percent) %)"
    } else {
      text += " operations"
    }
    text += ", \(rate(operationsPerSecond))"
    if let total, total > 0, operationsPerSecond > 0, done < UInt64(total) {
      text += ", \(StatusLine.remainingTime(Double(UInt64(total) - done) / operationsPerSecond)) left"
    }
    return text
  }

  static func rate(_ operationsPerSecond: Double) -> String {
    switch operationsPerSecond {
    case 1e6...: return String(format: "%.2f M ops/s", operationsPerSecond / 1e6)
    case 1e3...: return String(format: "%.1f K ops/s", operationsPerSecond / 1e3)
    default: return String(format: "%.0f ops/s", operationsPerSecond)
    }
  }

  /// Rewrites the line (carriage return, text, erase to the end of the line).
  func update(_ text: String) { write("\r" + text + "\u{1B}[K") }

  /// Ends the line, so the next output starts on a fresh one.
  func finish() { write("\n") }
}
