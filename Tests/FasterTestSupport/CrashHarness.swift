import Foundation

/// Crash tests: run a child that does durable work and acknowledges each piece on its
/// standard output (`ack <payload>` lines, written only once the work is durable), kill it
/// with SIGKILL at a chosen moment, and collect everything it acknowledged before it died,
/// for the test to check against what survived on disk.
///
/// The child is an executable built next to the test binary (`FasterCrashChild`, which the
/// test targets depend on so it is always built); `executable(named:)` finds it.
///
/// Thread safety: stateless; each run drives its own child.
public enum CrashHarness {
  public struct Outcome: Sendable {
    /// The payloads of the `ack` lines, in order, including those written between the kill
    /// decision and the child's death (they were durable before they were written).
    public var acknowledged: [String]
    /// The child's other output lines.
    public var otherLines: [String]
    public var termination: ChildProcess.Termination
    /// Whether the harness killed the child (false: it ended by itself, or the watchdog fired).
    public var killed: Bool
  }

  public static let acknowledgementPrefix = "ack "

  /// Runs `executable` with `arguments` and SIGKILLs it as soon as `killAfter` acknowledgements
  /// have arrived (nil: lets it run to its end). A child silent for `watchdogSeconds` is
  /// killed too, and `killed` stays false.
  public static func run(
    executable: String, arguments: [String], environment: [String: String] = [:], killAfter: Int?,
    watchdogSeconds: Int32 = 300
  ) throws -> Outcome {
    let child = try ChildProcess(executable: executable, arguments: arguments, environment: environment)
    var acknowledged: [String] = []
    var otherLines: [String] = []
    var killed = false
    while let line = child.nextLine(timeoutSeconds: watchdogSeconds) {
      if line.hasPrefix(acknowledgementPrefix) {
        acknowledged.append(String(line.dropFirst(acknowledgementPrefix.count)))
      } else {
        otherLines.append(line)
      }
      if !killed, let killAfter, acknowledged.count >= killAfter {
        child.kill()
        killed = true
      }
    }
    // End of output: the child closed it, died, or went silent (the watchdog).
    child.kill()
    return Outcome(
      acknowledged: acknowledged, otherLines: otherLines, termination: child.wait(), killed: killed)
  }

  /// The path of executable `name` built next to the running test binary (SwiftPM puts a
  /// package's executables and its test bundle in one directory); `FASTER_CRASH_CHILD`
  /// overrides it for `FasterCrashChild`.
  public static func executable(named name: String = "FasterCrashChild") -> String {
    if name == "FasterCrashChild", let path = ProcessInfo.processInfo.environment["FASTER_CRASH_CHILD"] {
      return path
    }
    var binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    if let linked = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      binary = URL(fileURLWithPath: linked)
    }
    // On macOS the binary sits inside `<name>.xctest/Contents/MacOS/`.
    var directory = binary.deletingLastPathComponent()
    while directory.path.contains(".xctest") { directory = directory.deletingLastPathComponent() }
    return directory.appendingPathComponent(name).path
  }
}
