import Foundation
import Testing

/// `scripts/perf-smoke.sh` as cron runs it, against a stand-in `fasterbench` (a shell script in
/// `.build-perf/release/` of a scratch copy of the repository), so these tests need no build:
/// option checks, `--keep 0`, SIGTERM and the lock.
@Suite(.serialized) struct PerfSmokeScriptTests {
  static let script = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("scripts/perf-smoke.sh")

  /// The stand-in: `textfile` writes one exposition line with the exit code it was given;
  /// `suite` writes an empty results file (and, with STUB_PID_FILE, writes its pid
  /// there and sleeps, a suite that takes long); `baseline path` names a missing baseline; every
  /// other command succeeds.
  static let stub = """
    #!/bin/sh
    case "$1" in
      suite)
        previous=""
        for argument in "$@"; do
          [ "$previous" = "--json" ] && : > "$argument"
          previous="$argument"
        done
        if [ -n "$STUB_PID_FILE" ]; then echo $$ > "$STUB_PID_FILE.tmp"; mv "$STUB_PID_FILE.tmp" "$STUB_PID_FILE"; exec sleep 300; fi
        ;;
      baseline) echo /nonexistent/baseline.json ;;
      textfile)
        previous=""
        for argument in "$@"; do
          [ "$previous" = "--output" ] && output="$argument"
          [ "$previous" = "--exit-code" ] && code="$argument"
          previous="$argument"
        done
        printf 'fasterbench_smoke_exit_code{suite="stub"} %s\n' "$code" > "$output"
        ;;
    esac
    exit 0
    """

  /// A scratch repository: the script and the stand-in binary.
  func scratchRoot() throws -> URL {
    let root = try TestSupport.temporaryDirectory()
    let scripts = root.appendingPathComponent("scripts")
    let release = root.appendingPathComponent(".build-perf/release")
    try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: release, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: Self.script, to: scripts.appendingPathComponent("perf-smoke.sh"))
    let binary = release.appendingPathComponent("fasterbench")
    try Self.stub.write(to: binary, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: binary.path)
    return root
  }

  /// Starts the script; its stderr goes to a file (a pipe would stay open as long as any
  /// orphaned child of it lives).
  func start(_ root: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> (
    Process, URL
  ) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [root.appendingPathComponent("scripts/perf-smoke.sh").path] + arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let errorFile = root.appendingPathComponent("stderr-\(UUID().uuidString).txt")
    FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    process.standardError = try FileHandle(forWritingTo: errorFile)
    process.standardOutput = FileHandle.nullDevice
    // The script starts as cron starts it, with no signal blocked: the test's thread blocks
    // most, and a child inherits that mask (bash cannot unblock a signal blocked at its start).
    var empty = sigset_t()
    sigemptyset(&empty)
    var saved = sigset_t()
    pthread_sigmask(SIG_SETMASK, &empty, &saved)
    defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
    try process.run()
    return (process, errorFile)
  }

  func run(_ root: URL, _ arguments: [String]) throws -> (status: Int32, stderr: String) {
    let (process, errorFile) = try start(root, arguments)
    process.waitUntilExit()
    return (process.terminationStatus, (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "")
  }

  @Test(arguments: [["--repeat"], ["--repeat", "abc"], ["--repeat", "0"], ["--keep"], ["--keep", "-1"]])
  func badOptionsAreUsageErrors(arguments: [String]) throws {
    let root = try scratchRoot()
    let result = try run(root, arguments + ["--quick", "--no-build"])
    #expect(result.status == 64, "\(arguments): \(result.stderr)")
    #expect(result.stderr.contains(arguments[0]))
    #expect(!result.stderr.contains("unbound variable"))
  }

  @Test func theRunsMetricsGoToTheTextfileDirectory() throws {
    let root = try scratchRoot()
    let collector = root.appendingPathComponent("textfile-collector")
    try FileManager.default.createDirectory(at: collector, withIntermediateDirectories: true)
    let result = try run(root, ["--quick", "--no-build", "--textfile-dir", collector.path])
    #expect(result.status == 0, "\(result.stderr)")
    let file = collector.appendingPathComponent("fasterbench_smoke-quick.prom")
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text == "fasterbench_smoke_exit_code{suite=\"stub\"} 0\n", "the job's exit status, as given")
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: collector.path)
    #expect(leftovers == ["fasterbench_smoke-quick.prom"], "no temporary file left: \(leftovers)")

    let missing = try run(
      root, ["--quick", "--no-build", "--textfile-dir", root.appendingPathComponent("none").path])
    #expect(missing.status == 64, "\(missing.stderr)")
    #expect(missing.stderr.contains("--textfile-dir"), "\(missing.stderr)")
  }

  @Test func keepZeroKeepsTheRunJustMade() throws {
    let root = try scratchRoot()
    let runs = root.appendingPathComponent("results/runs")
    // An older run folder, which --keep 0 may delete.
    try FileManager.default.createDirectory(
      at: runs.appendingPathComponent("20000101T000000Z-quick"), withIntermediateDirectories: true)
    let result = try run(root, ["--quick", "--no-build", "--keep", "0"])
    #expect(result.status == 0, "\(result.stderr)")
    let folders = try FileManager.default.contentsOfDirectory(atPath: runs.path).filter {
      $0.hasSuffix("Z-quick")
    }
    #expect(folders.count == 1, "\(folders)")
    #expect(folders.first != "20000101T000000Z-quick")
    let kept = runs.appendingPathComponent(folders.first ?? "none").appendingPathComponent("results.json")
    #expect(FileManager.default.fileExists(atPath: kept.path))
  }

  @Test func sigtermStopsTheChildAndFreesTheLock() throws {
    let root = try scratchRoot()
    let pidFile = root.appendingPathComponent("suite.pid").path
    let (process, errorFile) = try start(
      root, ["--quick", "--no-build"], environment: ["STUB_PID_FILE": pidFile])
    var childPID: pid_t = 0
    for _ in 0..<600 where childPID == 0 {
      if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
        let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
      {
        childPID = pid
      } else {
        usleep(50_000)
      }
    }
    try #require(childPID > 0, "the suite never started")
    kill(process.processIdentifier, SIGTERM)
    // Bounded waits: on failure the test must fail, not hang for the child's 300 seconds.
    for _ in 0..<200 where process.isRunning { usleep(50_000) }
    let stderr = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
    #expect(!process.isRunning, "the script did not end on SIGTERM: \(stderr)")
    if !process.isRunning { #expect(process.terminationStatus == 143, "\(stderr)") }
    // The child is gone (reaped by the script, so not even a zombie of it is left)...
    var childGone = false
    for _ in 0..<100 where !childGone {
      childGone = kill(childPID, 0) != 0
      if !childGone { usleep(50_000) }
    }
    if !childGone { kill(childPID, SIGKILL) }
    #expect(childGone, "the suite (pid \(childPID)) outlived the script")
    // ...and the lock is free: a new run starts instead of exiting 75.
    let again = try run(root, ["--quick", "--no-build"])
    #expect(again.status == 0, "\(again.stderr)")
  }
}
