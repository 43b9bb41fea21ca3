import Foundation
import Testing

/// The built binary on hostile input, signals and resource limits: a message that names the
/// value (or path) and what to do, a non-zero exit, no crash, nothing left behind.
@Suite(.serialized) struct RobustnessEndToEndTests {
  static let enabled = CommandLineTests.executable != nil
  static let workloadA = TestSupport.workload("workloada")

  /// A crash shows as a status above 128 (or Foundation's backtrace text).
  func expectNoCrash(_ status: Int32, _ stderr: String) {
    #expect(status < 128, "crashed with status \(status): \(stderr)")
    #expect(!stderr.contains("Signal "), "\(stderr)")
    #expect(!stderr.contains("Fatal error"), "\(stderr)")
  }

  @Test(
    .enabled(if: enabled, "the fasterbench executable is not built"),
    arguments: [
      (["-p", "recordcount=9223372036854775807"], "9223372036854775807"),
      (["-p", "fieldlength=1000000000000000"], "1000000000000000"),
      (["-p", "operationcount=9223372036854775807", "-p", "insertproportion=0.5"], "9223372036854775807"),
      (["-p", "maxscanlength=9223372036854775807"], "9223372036854775807"),
      (["--warmup", "1e300"], "1e300"),
      (["--status-interval", "1e300"], "1e300"),
      (["-target", "1e-300"], "1e-300"),
      (["--status-interval", "0.000001"], "0.000001"),
      (["-p", "recordcount=0"], "recordcount"),
      (["-p", "fieldlength=0"], "fieldlength=0"),
    ])
  func outOfRangeValuesAreUsageErrors(arguments: [String], value: String) throws {
    let result = try FasterbenchProcess.run(["run", "dictionary", "-P", Self.workloadA] + arguments)
    expectNoCrash(result.status, result.stderr)
    #expect(result.status == 64, "\(result.stderr)")
    #expect(result.stderr.contains(value), "\(result.stderr)")
    #expect(
      result.stderr.contains("expected") || result.stderr.contains("set the number"), "\(result.stderr)")
  }

  @Test(
    .enabled(if: enabled, "the fasterbench executable is not built"),
    arguments: [
      ["-threads", "-1"], ["--warmup", "-1"], ["--status-interval", "-1"], ["-target", "-5"],
      ["--seed", "-1"],
    ])
  func negativeOptionsSayMustBeAtLeastZero(arguments: [String]) throws {
    let result = try FasterbenchProcess.run(["run", "dictionary", "-P", Self.workloadA] + arguments)
    #expect(result.status == 64, "\(result.stderr)")
    #expect(result.stderr.contains("must be ≥"), "\(result.stderr)")
    #expect(!result.stderr.contains("Missing value"), "\(result.stderr)")
  }

  @Test(
    .enabled(if: enabled, "the fasterbench executable is not built"),
    arguments: [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")])
  func aSignalStopsTheRunWithItsReportAndCleansUp(signal: Int32, name: String) throws {
    let json = try TestSupport.temporaryDirectory().appendingPathComponent("results.json")
    let running = try FasterbenchProcess([
      "run", "faster", "-P", Self.workloadA, "-p", "recordcount=5000", "-p", "operationcount=0", "-p",
      "maxexecutiontime=120", "-p", "faster.device=file", "-p", "faster.log.memory=1m", "-p",
      "faster.log.pagesize=64k", "-p", "faster.index.size=64k", "--json", json.path,
    ])
    #expect(running.waitForStandardError(containing: "Starting test."), "\(running.stderr)")
    Thread.sleep(forTimeInterval: 0.5)
    running.send(signal)
    let status = running.exitStatus()
    #expect(status == 128 + signal, "\(running.stderr)")
    #expect(running.stdout.contains("# interrupted by \(name)"), "\(running.stdout)")
    #expect(running.stdout.contains("[OVERALL], Throughput(ops/sec)"))
    let data = try Data(contentsOf: json)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let run = try #require((object["runs"] as? [[String: Any]])?.first)
    #expect(run["interrupted"] as? String == name)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: running.temporaryDirectory.path)
    #expect(leftovers.isEmpty, "left behind in TMPDIR: \(leftovers)")
  }

  /// `nohup fasterbench run …`: an inherited ignored SIGHUP stays ignored.
  @Test(.enabled(if: enabled, "the fasterbench executable is not built"))
  func anIgnoredHangUpStaysIgnored() throws {
    let running = try FasterbenchProcess(
      [
        "run", "dictionary", "-P", Self.workloadA, "-p", "recordcount=1000", "-p", "operationcount=0", "-p",
        "maxexecutiontime=120",
      ], ignoring: ["HUP"])
    #expect(running.waitForStandardError(containing: "Starting test."), "\(running.stderr)")
    running.send(SIGHUP)
    Thread.sleep(forTimeInterval: 1)
    #expect(running.process.isRunning, "SIGHUP stopped a run started with SIGHUP ignored")
    running.send(SIGINT)
    #expect(running.exitStatus() == 128 + SIGINT, "\(running.stderr)")
  }

  @Test(.enabled(if: enabled, "the fasterbench executable is not built"))
  func threadsThatCannotStartEndWithAMessage() throws {
    let result = try FasterbenchProcess.run(
      [
        "run", "dictionary", "-P", Self.workloadA, "-p", "recordcount=100", "-p", "operationcount=1000",
        "-threads", "200",
      ], limits: ["-v 1500000"])
    expectNoCrash(result.status, result.stderr)
    #expect(result.status != 0)
    #expect(result.stderr.contains("cannot start worker thread"), "\(result.stderr)")
    #expect(result.stderr.contains("ulimit"), "\(result.stderr)")
  }

  static let smallDisk = [
    "-p", "recordcount=20000", "-p", "operationcount=20000", "-p", "faster.device=file", "-p",
    "faster.log.memory=1m", "-p", "faster.log.pagesize=64k", "-p", "faster.index.size=64k",
  ]

  @Test(.enabled(if: enabled, "the fasterbench executable is not built"))
  func aFileSizeLimitEndsWithAMessage() throws {
    let result = try FasterbenchProcess.run(
      ["run", "faster", "-P", Self.workloadA] + Self.smallDisk, limits: ["-f 100"])
    expectNoCrash(result.status, result.stderr)
    #expect(result.status != 0)
    #expect(result.stderr.contains("File too large"), "\(result.stderr)")
  }

  @Test(.enabled(if: enabled, "the fasterbench executable is not built"))
  func runningOutOfFileDescriptorsEndsWithAMessage() throws {
    let result = try FasterbenchProcess.run(
      ["run", "faster", "-P", Self.workloadA] + Self.smallDisk + ["-p", "faster.log.segmentsize=64k"],
      limits: ["-n 40"])
    expectNoCrash(result.status, result.stderr)
    #expect(result.status != 0)
    #expect(result.stderr.contains("Too many open files"), "\(result.stderr)")
  }

  @Test(.enabled(if: enabled, "the fasterbench executable is not built"))
  func anUnwritableResultsPathSaysWhatAndWhere() throws {
    let blocker = try TestSupport.writeFile("not a directory")
    let result = try FasterbenchProcess.run([
      "run", "dictionary", "-P", Self.workloadA, "-p", "recordcount=100", "-p", "operationcount=100",
      "--json",
      blocker + "/sub/results.json",
    ])
    #expect(result.status != 0)
    #expect(result.stderr.contains(blocker), "\(result.stderr)")
    #expect(!result.stderr.contains("NSCocoaErrorDomain"), "\(result.stderr)")
    #expect(!result.stderr.contains("error 512"), "\(result.stderr)")
  }
}
