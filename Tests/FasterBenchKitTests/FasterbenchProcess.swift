import Foundation

/// The built `fasterbench` executable run as a user runs it, optionally under `ulimit` limits,
/// with its output going to files so a test can watch it while it runs and send it signals.
final class FasterbenchProcess {
  let process = Process()
  let directory: URL
  private let stdoutURL: URL
  private let stderrURL: URL

  /// Starts `fasterbench arguments`; `limits` are `ulimit` options applied first (e.g. `-v 1500000`);
  /// `TMPDIR` points at a fresh directory (``directory``), so temporary files can be checked.
  /// `ignoring`: signals the shell ignores before it starts fasterbench (as `nohup` does).
  init(_ arguments: [String], limits: [String] = [], ignoring: [String] = []) throws {
    guard let executable = CommandLineTests.executable else { throw CancellationError() }
    directory = try TestSupport.temporaryDirectory()
    stdoutURL = directory.appendingPathComponent("stdout")
    stderrURL = directory.appendingPathComponent("stderr")
    FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
    FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
    let tmp = directory.appendingPathComponent("tmp")
    try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    let ulimits = limits.map { "ulimit \($0) && " }.joined()
    let traps = ignoring.map { "trap '' \($0); " }.joined()
    process.arguments = ["-c", traps + ulimits + "exec \"$0\" \"$@\"", executable.path] + arguments
    var environment = ProcessInfo.processInfo.environment
    environment["TMPDIR"] = tmp.path + "/"
    process.environment = environment
    process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
    process.standardError = try FileHandle(forWritingTo: stderrURL)
    try process.run()
  }

  /// The temporary directory the run saw as `TMPDIR`.
  var temporaryDirectory: URL { directory.appendingPathComponent("tmp") }

  var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
  var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

  /// Waits (up to `seconds`) until standard error contains `text`; false if it never did.
  func waitForStandardError(containing text: String, seconds: Double = 120) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if stderr.contains(text) { return true }
      if !process.isRunning { return stderr.contains(text) }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return false
  }

  func send(_ signal: Int32) {
    kill(process.processIdentifier, signal)
  }

  /// Waits for the exit and returns its status (128 + n when a signal killed it).
  func exitStatus() -> Int32 {
    process.waitUntilExit()
    return process.terminationReason == .uncaughtSignal
      ? 128 + process.terminationStatus : process.terminationStatus
  }

  /// Runs to the end and returns the status and both outputs.
  static func run(_ arguments: [String], limits: [String] = []) throws -> (
    status: Int32, stdout: String, stderr: String
  ) {
    let running = try FasterbenchProcess(arguments, limits: limits)
    let status = running.exitStatus()
    return (status, running.stdout, running.stderr)
  }
}
