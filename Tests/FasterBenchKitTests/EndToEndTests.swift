import Foundation
import Testing
import YCSB

@testable import FasterBenchKit

/// Each standard workload, briefly, against each binding: counts, return codes, report lines and
/// the results file.
@Suite(.serialized) struct EndToEndTests {
  static let workloads: [(file: String, operations: Set<String>)] = [
    ("workloada", ["READ", "UPDATE"]), ("workloadb", ["READ", "UPDATE"]), ("workloadc", ["READ"]),
    ("workloadd", ["READ", "INSERT"]), ("workloade", ["SCAN", "INSERT"]),
    ("workloadf", ["READ", "READ-MODIFY-WRITE"]),
  ]

  static let cases: [(BindingKind, String)] = [BindingKind.dictionary, .faster, .rocksdb, .lmdb].flatMap {
    kind in
    workloads.map { (kind, $0.file) }
  }

  func run(
    _ kind: BindingKind, workloads: [String], overrides: [String], command: PhaseKind = .run,
    printsStatus: Bool = false
  ) throws -> (record: RunRecord, decoded: ResultsFile, capture: TestSupport.Capture) {
    var configuration = try TestSupport.configuration(workloads: workloads, overrides: overrides)
    configuration.runner.printsStatus = printsStatus
    let capture = TestSupport.Capture()
    let record = try BindingCatalog.execute(
      kind, command: command, configuration: configuration, output: capture.output, harnessOperations: 2000)
    let path = try TestSupport.temporaryDirectory().appendingPathComponent("results.json").path
    try ResultsFile(runs: [record]).write(to: path)
    let decoded = try ResultsFile.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
    return (record, decoded, capture)
  }

  @Test(arguments: cases)
  func standardWorkloadRunsWithExactCounts(kind: BindingKind, file: String) throws {
    let expected = Self.workloads.first { $0.file == file }!.operations
    let (_, decoded, capture) = try run(
      kind, workloads: [TestSupport.workload(file)],
      overrides: ["recordcount=2000", "operationcount=3000", "threadcount=2", "seed=\(TestSupport.seed(5))"])

    // The text report, as a YCSB parsing script reads it (the load phase is commented out).
    let report = ParsedReport(capture.reportLines)
    #expect(Set(report.values.keys) == expected.union(["OVERALL"]))
    var total = 0.0
    for operation in expected {
      let operations = try #require(report[operation, "Operations"])
      #expect(report[operation, "Return=OK"] == operations, "\(operation) had failures")
      #expect(report[operation, "99thPercentileLatency(us)"] != nil)
      total += operations
    }
    #expect(total == 3000)
    #expect(capture.reportLines.contains("# [INSERT], Operations, 2000"))

    // The results file.
    #expect(decoded.schemaVersion == ResultsFile.currentSchemaVersion)
    #expect(decoded.runs.first?.errors == nil)
    let run = try #require(decoded.runs.first)
    #expect(run.binding == kind.rawValue)
    #expect(run.threads == 2)
    #expect(run.properties["recordcount"] == "2000")
    #expect(run.harnessOverhead.nanosecondsPerOperation > 0)
    #expect(run.phases.map(\.name) == ["load", "run"])
    let load = run.phases[0]
    #expect(load.operations == 2000)
    #expect(load.operationTypes.map(\.name) == ["INSERT"])
    #expect(load.operationTypes[0].returnCodes == ReturnCodes(ok: 2000, notFound: 0, error: 0))
    let phase = run.phases[1]
    #expect(phase.operations == 3000)
    #expect(Set(phase.operationTypes.map(\.name)) == expected)
    for operation in phase.operationTypes {
      let latency = try #require(operation.latency)
      #expect(latency.count == operation.operations)
      #expect(latency.histogram.totalCount == operation.operations)
      #expect(
        latency.nanoseconds.p50 <= latency.nanoseconds.p99
          && latency.nanoseconds.p99 <= latency.nanoseconds.max)
      #expect(abs(latency.microseconds.p99 * 1000 - latency.nanoseconds.p99) < 1)
      #expect(operation.returnCodes.ok == operation.operations)
      #expect(operation.intendedLatency == nil)
    }
    #expect(phase.intervals.reduce(0) { $0 + $1.operations } == 3000)
    #expect((phase.orderedIndex != nil) == (file == "workloade"))
    if kind == .faster {
      #expect(run.storeStatistics?["options"] != nil)
      #expect(run.storeStatistics?["statistics"]?["tailAddress"] != nil)
    }
    if kind == .rocksdb || kind == .lmdb {
      // A comparison says what it compares: the peer's durability setting is in the results.
      #expect(run.storeStatistics?["durability"] != nil)
    }
  }

  @Test(
    arguments: [BindingKind.dictionary, .faster, .rocksdb, .lmdb],
    ["faster-a-zipf", "faster-rmw-zipf", "faster-c-uniform"])
  func compactWorkloadsRun(kind: BindingKind, file: String) throws {
    let (record, _, _) = try run(
      kind, workloads: [TestSupport.workload(file)],
      overrides: [
        "recordcount=5000", "operationcount=4000", "maxexecutiontime=0", "threadcount=2", "seed=9",
        "faster.log.memory=64m", "faster.log.pagesize=1m", "faster.index.size=64k",
      ])
    #expect(record.recordMode == "compact")
    let phase = record.phases[1]
    #expect(phase.operations == 4000)
    for operation in phase.operationTypes {
      #expect(operation.returnCodes.ok == operation.operations)
    }
  }

  @Test func loadCommandPrintsThePlainLoadReport() throws {
    let (record, _, capture) = try run(
      .dictionary, workloads: [TestSupport.workload("workloada")],
      overrides: ["recordcount=1000", "threadcount=3"], command: .load)
    #expect(record.phases.map(\.name) == ["load"])
    let report = ParsedReport(capture.reportLines)
    #expect(report["INSERT", "Operations"] == 1000)
    #expect(report["INSERT", "Return=OK"] == 1000)
    #expect(report["OVERALL", "RunTime(ms)"] != nil)
  }

  /// `maxexecutiontime` stops the `load` command (as in YCSB), with a warning, but never the
  /// load before a run: a run over a partly loaded store would measure misses.
  @Test func timeBoundOnlyStopsTheLoadCommand() throws {
    // 600 records throttled to 400/s take 1.5 s; the bound is 1 s.
    let overrides = ["recordcount=600", "operationcount=40", "target=400", "maxexecutiontime=1"]
    let (ran, _, runCapture) = try run(
      .dictionary, workloads: [TestSupport.workload("workloadc")], overrides: overrides)
    #expect(ran.phases[0].operations == 600)
    #expect(ran.phases[1].operationTypes.first?.returnCodes.ok == ran.phases[1].operations)
    #expect(!runCapture.statusLines.contains { $0.contains("stopped the load") })
    let (loaded, _, loadCapture) = try run(
      .dictionary, workloads: [TestSupport.workload("workloadc")], overrides: overrides, command: .load)
    #expect(loaded.phases[0].operations < 600)
    #expect(
      loadCapture.statusLines.contains {
        $0.contains("maxexecutiontime stopped the load after \(loaded.phases[0].operations) of 600 records")
      })
  }

  @Test func throttledRunReportsIntendedLatencies() throws {
    let (record, _, capture) = try run(
      .dictionary, workloads: [TestSupport.workload("workloada")],
      overrides: ["recordcount=500", "operationcount=600", "threadcount=2", "target=3000", "seed=4"])
    let report = ParsedReport(capture.reportLines)
    #expect(report["Intended-READ", "Operations"] == report["READ", "Operations"])
    #expect(report["Intended-UPDATE", "Operations"] == report["UPDATE", "Operations"])
    let phase = record.phases[1]
    // 600 operations at 3000/s take about 0.2 s.
    #expect(phase.runtimeMilliseconds >= 150)
    for operation in phase.operationTypes {
      let intended = try #require(operation.intendedLatency)
      #expect(intended.count == operation.operations)
      // Intended latency includes the actual one: never smaller at the extremes.
      let actual = try #require(operation.latency)
      #expect(intended.nanoseconds.max >= actual.nanoseconds.max * 0.99)
    }
    #expect(record.measurementInterval == "both")
  }

  @Test func timeBoundedRunWithWarmupAndStatusLines() throws {
    let (record, _, capture) = try run(
      .dictionary, workloads: [TestSupport.workload("workloadc")],
      overrides: [
        "recordcount=1000", "operationcount=0", "maxexecutiontime=1", "warmup=0.3", "status.interval=0.25",
        "threadcount=2", "target=20000",
      ], printsStatus: true)
    let phase = record.phases[1]
    #expect(phase.warmupOperations > 0)
    #expect(phase.operations > 0)
    #expect(phase.runtimeMilliseconds >= 950 && phase.runtimeMilliseconds < 3000)
    // Four 0.25 s intervals nominally; a status thread starved on a loaded machine (load 20+
    // on 2 cores) has been seen to produce two.
    #expect(phase.intervals.count >= 2)
    let statusLines = capture.statusLines.filter { $0.contains(" sec: ") }
    #expect(statusLines.count >= 2)
    #expect(statusLines.contains { $0.contains("[READ: Count=") && $0.contains("current ops/sec") })
  }

  @Test func pregeneratedOperationsRunAndCycle() throws {
    let (record, _, _) = try run(
      .dictionary, workloads: [TestSupport.workload("workloadb")],
      overrides: ["recordcount=1000", "operationcount=5000", "threadcount=2", "pregenerate=700", "seed=8"])
    let phase = record.phases[1]
    #expect(phase.operations == 5000)
    #expect(Set(phase.operationTypes.map(\.name)) == ["READ", "UPDATE"])
    for operation in phase.operationTypes {
      #expect(operation.returnCodes.ok == operation.operations)
    }
  }

  /// `measurement.sampling=10`: every operation is counted, one in ten is timed.
  @Test(arguments: [BindingKind.faster, .dictionary])
  func sampledLatencyCountsEveryOperation(kind: BindingKind) throws {
    let (record, decoded, capture) = try run(
      kind, workloads: [TestSupport.workload("workloada")],
      overrides: [
        "recordcount=1000", "operationcount=4000", "threadcount=2", "seed=3", "measurement.sampling=10",
      ])
    let report = ParsedReport(capture.reportLines)
    let read = report["READ", "Operations"] ?? 0
    let update = report["UPDATE", "Operations"] ?? 0
    #expect(read + update == 4000, "the report counts every operation")
    #expect(read == report["READ", "Return=OK"])
    let timed = record.phases[1].operationTypes.reduce(0) { $0 + ($1.latency?.count ?? 0) }
    #expect(timed == 400, "one in ten timed: 2 threads x 2000 operations / 10")
    #expect(decoded.runs[0].properties["measurement.sampling"] == "10")
    #expect(record.phases[0].operations == 1000, "the load is counted whole too")
  }

  @Test(arguments: ["0", "ten", "2000000"])
  func malformedSamplingIsRejected(value: String) {
    #expect {
      _ = try TestSupport.configuration(
        workloads: [TestSupport.workload("workloada")], overrides: ["measurement.sampling=\(value)"])
    } throws: { error in
      let text = (error as? ConfigurationError)?.description ?? ""
      return text.contains("measurement.sampling") && text.contains("one operation in N")
    }
  }

  @Test func samplingWithThrottlingIsRejected() {
    #expect {
      _ = try TestSupport.configuration(
        workloads: [TestSupport.workload("workloada")], overrides: ["measurement.sampling=10", "target=100"])
    } throws: { error in
      (error as? ConfigurationError)?.description.contains("throttled run times every operation") == true
    }
  }

  @Test func pregenerationWithInsertsIsRejected() {
    #expect {
      _ = try TestSupport.configuration(
        workloads: [TestSupport.workload("workloadd")], overrides: ["recordcount=10", "pregenerate=100"])
    } throws: { error in
      (error as? ConfigurationError)?.description.contains("pregenerate") == true
    }
  }

  @Test func unboundedRunIsRejected() throws {
    #expect(throws: BindingError.self) {
      _ = try run(
        .dictionary, workloads: [TestSupport.workload("workloada")],
        overrides: ["recordcount=10", "operationcount=0"])
    }
  }
}
