import FasterCore
import Foundation
import Testing
import YCSB

@testable import FasterBenchKit

/// `faster.checkpoint.*`: the knobs, background checkpoints during a run (results, text
/// report, HTML marks, a failing checkpoint), and `fasterbench recover`.
@Suite struct CheckpointBenchmarkTests {
  func knobs(_ pairs: [String: String]) throws(ConfigurationError) -> EngineKnobs {
    var properties = Properties()
    for (name, value) in pairs.sorted(by: { $0.key < $1.key }) { properties[name] = value }
    return try EngineKnobs(properties: properties)
  }

  @Test func checkpointKnobsParseMapAndAreRecorded() throws {
    let parsed = try knobs([
      "faster.device": "file", "faster.checkpoint.interval": "2.5", "faster.checkpoint.kind": "Snapshot",
      "faster.checkpoint.index": "3", "faster.checkpoint.dir": "/tmp/cp", "faster.checkpoint.keep": "4",
    ])
    #expect(parsed.checkpointIntervalSeconds == 2.5)
    #expect(parsed.checkpointKind == .snapshot)
    #expect(parsed.checkpointDirectory == "/tmp/cp")
    #expect(
      (1...8).map(parsed.checkpointIncludesIndex) == [true, false, false, true, false, false, true, false])
    let options = parsed.fasterKVOptions(
      shape: RecordShape(workload: try CoreWorkload(properties: Properties()), mode: .compact),
      expectedRecordCount: 1000, threadCount: 1
    ).options
    #expect(options.checkpointsToKeep == 4)
    let record = try #require(KnobsRecord(parsed).checkpoint)
    #expect(
      record
        == CheckpointKnobsRecord(
          intervalSeconds: 2.5, kind: "snapshot", indexEvery: 3, directory: "/tmp/cp", keep: 4))
    #expect(KnobsRecord(try knobs([:])).checkpoint == nil)
    let firstOnly = try knobs([
      "faster.device": "file", "faster.checkpoint.interval": "1", "faster.checkpoint.index": "0",
    ])
    #expect((1...4).map(firstOnly.checkpointIncludesIndex) == [true, false, false, false])
    let defaults = try knobs(["faster.device": "uring", "faster.checkpoint.interval": "5"])
    #expect(defaults.checkpointKind == .foldOver)
    #expect((1...3).map(defaults.checkpointIncludesIndex) == [true, true, true])
    // An explicit 0 keeps the other knobs (an A/B against a workload file that turns them on).
    #expect(
      try knobs(["faster.checkpoint.interval": "0", "faster.checkpoint.kind": "snapshot"]).checkpointKind
        == .snapshot)
  }

  @Test(arguments: [
    (["faster.device": "file", "faster.checkpoint.interval": "-1"], "faster.checkpoint.interval"),
    (["faster.device": "file", "faster.checkpoint.interval": "soon"], "seconds between checkpoints"),
    (["faster.device": "file", "faster.checkpoint.interval": "1e9"], "31536000"),
    (["faster.device": "file", "faster.checkpoint.interval": "nan"], "faster.checkpoint.interval"),
    (["faster.checkpoint.interval": "5"], "faster.device"),
    (["faster.checkpoint.kind": "snapshot"], "faster.checkpoint.interval is not"),
    (
      ["faster.device": "file", "faster.checkpoint.interval": "5", "faster.checkpoint.kind": "delta"],
      "foldover, snapshot or incremental"
    ),
    (
      ["faster.device": "file", "faster.checkpoint.interval": "5", "faster.checkpoint.index": "-2"],
      "integer >= 0"
    ),
    (
      ["faster.device": "file", "faster.checkpoint.interval": "5", "faster.checkpoint.keep": "0"],
      "positive integer"
    ),
    (
      ["faster.device": "file", "faster.checkpoint.interval": "5", "faster.checkpoint.dir": " "],
      "faster.checkpoint.dir"
    ),
    (
      ["faster.device": "file", "faster.checkpoint.interval": "5", "faster.checkpoint.every": "2"],
      "unknown engine knob"
    ),
  ])
  func badCheckpointKnobsAreRejectedByName(pairs: [String: String], mentioned: String) {
    do {
      _ = try knobs(pairs)
      Issue.record("accepted \(pairs)")
    } catch {
      #expect(error.description.contains(mentioned), "\(error.description)")
    }
  }

  @Test func aFailingCheckpointFailsTheRunWithItsMessage() throws {
    // The checkpoint directory is a regular file: the first checkpoint cannot create its files.
    let file = try TestSupport.writeFile("not a directory", name: "checkpoint-dir-file")
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("faster-a-zipf")],
      overrides: BackgroundCheckpointConcurrencyTests.smallRun + ["maxexecutiontime=1"])
    var options = configuration.knobs.fasterKVOptions(
      shape: RecordShape(workload: configuration.workload, mode: .compact), expectedRecordCount: 20000,
      threadCount: 2
    ).options
    options.checkpointDirectory = file
    let device = try BenchmarkDevice(knobs: configuration.knobs, pageSizeBytes: options.pageSizeBytes)
    defer { device.close() }
    let binding = try FasterCompactBinding(options: options, device: device)
    let capture = TestSupport.Capture()
    let record = try Benchmark.execute(
      .run, binding: binding, configuration: configuration, output: capture.output, harnessOperations: 1000)
    let failure = try #require(record.checkpointFailure)
    #expect(failure.hasPrefix("checkpoint 1 (foldover) failed:"), "\(failure)")
    #expect(capture.statusLines.contains { $0.contains("fasterbench: error: checkpoint 1") })
    #expect(record.phases[1].operations > 0, "the workers ran on")
  }

  @Test func engineCheckpointMessagesNameTheKnobs() {
    let message = CheckpointError.notConfigured(
      "set FasterKVOptions.checkpointDirectory to a directory for the checkpoint files"
    ).description
    #expect(BindingError(message).description.contains("set faster.checkpoint.dir to a directory"))
    #expect(KnobVocabulary.translate("checkpointsToKeep = 0") == "faster.checkpoint.keep = 0")
  }

  @Test func aGivenCheckpointDirectoryWithCheckpointsIsRefused() throws {
    let directory = try TestSupport.temporaryDirectory().path
    FileManager.default.createFile(atPath: directory + "/old.meta", contents: Data("x".utf8))
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("faster-a-zipf")],
      overrides: BackgroundCheckpointConcurrencyTests.smallRun + ["faster.checkpoint.dir=\(directory)"])
    #expect {
      _ = try BindingCatalog.execute(
        .faster, command: .run, configuration: configuration, output: TestSupport.Capture().output,
        harnessOperations: 100)
    } throws: { error in
      "\(error)".contains("already holds checkpoint files (old.meta)")
    }
  }

  @Test func recoveryIsMeasuredOnASmallStore() throws {
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("faster-a-zipf")],
      overrides: [
        "recordcount=30000", "threadcount=2", "seed=3", "faster.record=compact", "faster.device=file",
        "faster.log.memory=1m", "faster.log.pagesize=64k", "faster.checkpoint.interval=0",
      ])
    let capture = TestSupport.Capture()
    let record = try RecoveryMeasurement.execute(configuration: configuration, output: capture.output)
    #expect(record.command == "recover")
    let recovery = try #require(record.recovery)
    #expect(recovery.records == 30000)
    #expect(recovery.checkpointKind == "foldover")
    #expect(recovery.keysFound == recovery.keysChecked && recovery.keysChecked == 1000)
    #expect(recovery.recoverySeconds > 0)
    #expect(recovery.bytesRead > 0)
    #expect(recovery.sequentialRead.bytes >= recovery.bytesRead / 2)
    #expect(recovery.sequentialRead.megabytesPerSecond > 0)
    #expect(recovery.ratioToSequentialRead > 0)
    #expect(capture.reportLines.contains { $0.hasPrefix("[RECOVERY], RecoverySeconds(first read), ") })
    #expect(capture.reportLines.contains { $0.hasPrefix("[SEQUENTIAL-READ], MB/s, ") })
    let decoded = try ResultsFile.decode(try ResultsFile(runs: [record]).encoded())
    #expect(decoded.runs[0].recovery == recovery)
  }
}

/// `fasterbench recover` and the checkpoint knobs through the executable.
@Suite struct CheckpointCommandLineTests {
  let commandLine = CommandLineTests()

  @Test(.enabled(if: CommandLineTests.executable != nil, "the fasterbench executable is not built"))
  func anUnknownCheckpointKindIsAUsageError() throws {
    let result = try commandLine.run([
      "run", "faster", "-P", TestSupport.workload("faster-a-zipf"), "-p", "recordcount=1000",
      "-p", "faster.device=file", "-p", "faster.checkpoint.interval=1", "-p",
      "faster.checkpoint.kind=delta",
    ])
    #expect(result.status == 64)
    #expect(result.stderr.contains("faster.checkpoint.kind"), "\(result.stderr)")
    #expect(result.stderr.contains("foldover, snapshot or incremental"))
  }

  @Test(.enabled(if: CommandLineTests.executable != nil, "the fasterbench executable is not built"))
  func recoverRefusesBadInput() throws {
    let workload = TestSupport.workload("faster-a-zipf")
    let memoryOnly = try commandLine.run(["recover", "faster", "-P", workload, "-p", "recordcount=1000"])
    #expect(memoryOnly.status == 64)
    #expect(memoryOnly.stderr.contains("faster.device=uring"), "\(memoryOnly.stderr)")
    let nullDevice = try commandLine.run([
      "recover", "faster", "-P", workload, "-p", "recordcount=1000", "-p", "faster.device=null",
    ])
    #expect(nullDevice.status == 64)
    let dictionary = try commandLine.run(["recover", "dictionary", "-P", workload, "-p", "recordcount=1000"])
    #expect(dictionary.status == 64)
    #expect(dictionary.stderr.contains("faster binding only"), "\(dictionary.stderr)")
    let badKind = try commandLine.run([
      "recover", "faster", "-P", workload, "-p", "recordcount=1000", "-p", "faster.device=file",
      "-p", "faster.checkpoint.kind=fold",
    ])
    #expect(badKind.status == 64)
    #expect(badKind.stderr.contains("faster.checkpoint.kind"), "\(badKind.stderr)")
    for result in [memoryOnly, nullDevice, dictionary, badKind] {
      #expect(!result.stderr.contains("Stack dump"))
    }
  }

  @Test(.enabled(if: CommandLineTests.executable != nil, "the fasterbench executable is not built"))
  func recoverMeasuresASmallStoreAndWritesJSON() throws {
    let directory = try TestSupport.temporaryDirectory()
    let json = directory.appendingPathComponent("recover.json").path
    let result = try commandLine.run([
      "recover", "faster", "-P", TestSupport.workload("faster-a-zipf"), "-p", "recordcount=20000",
      "-p", "faster.device=file", "-p", "faster.log.memory=1m", "-p", "faster.log.pagesize=64k",
      "-p", "faster.checkpoint.kind=snapshot", "-p", "faster.path=\(directory.path)/log", "--json", json,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("[RECOVERY], Checkpoint, snapshot with index"), "\(result.stdout)")
    #expect(result.stdout.contains("[RECOVERY], KeysChecked, 1000 of 1000 found"))
    let file = try ResultsLoader.load(path: json)
    #expect(file.runs[0].recovery?.records == 20000)
    #expect(file.runs[0].knobs.checkpoint == nil, "recover takes no background checkpoints")
  }
}

/// Background checkpoints while two workers run (named `...ConcurrencyTests`: scripts/test.sh
/// runs it under the thread sanitizer too): the records, the report line, the HTML marks.
@Suite struct BackgroundCheckpointConcurrencyTests {
  static let smallRun = [
    "recordcount=20000", "operationcount=0", "maxexecutiontime=3", "status.interval=0.5", "threadcount=2",
    "seed=11", "faster.record=compact", "faster.device=file", "faster.log.memory=64m",
    "faster.log.pagesize=64k",
    "faster.checkpoint.interval=0.4",
  ]

  @Test(arguments: ["foldover", "snapshot", "incremental"])
  func aRunWithCheckpointsRecordsThemReportsThemAndMarksThemInTheHTML(kind: String) throws {
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("faster-a-zipf")],
      overrides: BackgroundCheckpointConcurrencyTests.smallRun + [
        "faster.checkpoint.kind=\(kind)", "faster.checkpoint.index=2",
      ])
    let capture = TestSupport.Capture()
    let record = try BindingCatalog.execute(
      .faster, command: .run, configuration: configuration, output: capture.output, harnessOperations: 1000)
    #expect(record.checkpointFailure == nil)
    let checkpoints = try #require(record.phases[1].checkpoints)
    #expect(checkpoints.count >= 1)
    #expect(record.phases[0].checkpoints == nil, "the load of a run takes none")
    for (index, checkpoint) in checkpoints.enumerated() {
      #expect(checkpoint.number == index + 1)
      // An incremental run's first checkpoint has no base: a full snapshot.
      #expect(checkpoint.kind == (kind == "incremental" && index == 0 ? "snapshot" : kind))
      #expect(checkpoint.includesIndex == (index % 2 == 0))
      #expect(checkpoint.bytesWritten > 0)
      #expect(checkpoint.durationSeconds > 0)
      // Within the phase: under the thread sanitizer on a loaded machine the 3 s phase has
      // run past 5 s (workers notice the time bound late), so bound it by the phase's runtime.
      let phaseSeconds = record.phases[1].runtimeMilliseconds / 1000
      #expect(
        checkpoint.startSeconds > 0 && checkpoint.startSeconds < phaseSeconds + 1,
        "checkpoint \(index + 1) started at \(checkpoint.startSeconds) s of a \(phaseSeconds) s phase")
      #expect(CheckpointToken(checkpoint.token) != nil)
    }
    #expect(zip(checkpoints, checkpoints.dropFirst()).allSatisfy { $0.version < $1.version })
    let reportLines = capture.reportLines
    #expect(
      reportLines.contains {
        $0.hasPrefix("# checkpoints (run): \(checkpoints.count) ")
          && $0.contains(kind == "incremental" && checkpoints.count > 1 ? "1 snapshot + " : kind)
      },
      "\(reportLines)")
    // Through the results file, as the report command reads it.
    let file = try ResultsFile.decode(try ResultsFile(runs: [record]).encoded())
    #expect(file.schemaVersion == 3)
    #expect(file.runs[0].phases[1].checkpoints == checkpoints)
    #expect(file.runs[0].knobs.checkpoint?.kind == kind)
    let html = HTMLReport(
      title: "t", inputs: [.init(name: "cp.json", file: file)], baseline: nil, history: []
    )
    .html()
    #expect(html.components(separatedBy: "<line class=\"mark\"").count - 1 == checkpoints.count, "\(html)")
    #expect(html.contains("checkpoint 1 (\(kind == "incremental" ? "snapshot" : kind) + index)"))
  }
}
