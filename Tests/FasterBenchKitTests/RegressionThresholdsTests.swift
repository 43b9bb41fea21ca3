import Foundation
import Testing

@testable import FasterBenchKit

@Suite struct RegressionThresholdsTests {
  @Test func defaultsAreDocumented() {
    let thresholds = GateThresholds()
    #expect(thresholds.percent(.throughput, workload: "any") == 5)
    #expect(thresholds.percent(.p50, workload: "any") == 10)
    #expect(thresholds.percent(.p99, workload: "any") == 10)
    #expect(thresholds.percent(.p99_9, workload: "any") == 20)
    #expect(thresholds.percent(.harness, workload: "any") == 15)
    #expect(thresholds.alpha == 0.05)
  }

  @Test func fileSetsDefaultsAndPerWorkloadValues() throws {
    let path = try TestSupport.writeFile(
      """
      alpha = 0.01
      [default]
      throughput = 7
      "p99.9" = 30
      [workload.workloade]
      p99 = 25
      """, name: "thresholds.toml")
    let thresholds = try GateThresholds.load(path: path)
    #expect(thresholds.alpha == 0.01)
    #expect(thresholds.percent(.throughput, workload: "workloada") == 7)
    #expect(thresholds.percent(.p99_9, workload: "workloada") == 30)
    #expect(thresholds.percent(.p99, workload: "workloade") == 25)
    #expect(thresholds.percent(.p99, workload: "workloada") == 10)
  }

  @Test func commandLineWinsOverTheFile() throws {
    var thresholds = GateThresholds()
    try thresholds.apply(argument: "throughput=2")
    try thresholds.apply(argument: "faster-a-zipf:p99.9=40")
    try thresholds.apply(argument: "alpha=0.1")
    #expect(thresholds.percent(.throughput, workload: "x") == 2)
    #expect(thresholds.percent(.p99_9, workload: "faster-a-zipf") == 40)
    #expect(thresholds.alpha == 0.1)
  }

  @Test func malformedThresholdsAreRejected() throws {
    var thresholds = GateThresholds()
    #expect(throws: GateError.self) { try thresholds.apply(argument: "throughput") }
    #expect(throws: GateError.self) { try thresholds.apply(argument: "latency=5") }
    #expect(throws: GateError.self) { try thresholds.apply(argument: "throughput=fast") }
    #expect(throws: GateError.self) { try thresholds.apply(argument: "alpha=2") }
    let path = try TestSupport.writeFile("[default]\nspeed = 3\n", name: "bad.toml")
    #expect(throws: GateError.self) { try GateThresholds.load(path: path) }
  }

  @Test func committedThresholdsFileParses() throws {
    let path = TestSupport.workloadsDirectory.deletingLastPathComponent()
      .appendingPathComponent("results/thresholds.toml").path
    let thresholds = try GateThresholds.load(path: path)
    #expect(thresholds.percent(.throughput, workload: "workloade") == 8)
  }

  @Test func exitCodesAsDocumented() throws {
    #expect(GateExitCode.success.rawValue == 0)
    #expect(GateExitCode.inputError.rawValue == 1)
    #expect(GateExitCode.regression.rawValue == 2)
    #expect(GateExitCode.notComparable.rawValue == 3)
    #expect(GateExitCode.improvementOnly.rawValue == 4)
    #expect(GateExitCode.operationErrors.rawValue == 5)
    #expect(GateExitCode.tooFewRepetitions.rawValue == 6)
    let baseline = RegressionFixtures.file([1000, 1010, 990, 1005, 995])
    let same = try Comparison(candidate: baseline, baseline: baseline)
    #expect(same.exitCode == .success)
    let slower = try Comparison(
      candidate: RegressionFixtures.file([800, 810, 790, 805, 795]), baseline: baseline)
    #expect(slower.exitCode == .regression)
    let faster = try Comparison(
      candidate: RegressionFixtures.file([1200, 1210, 1190, 1205, 1195], latencyScale: 1), baseline: baseline)
    #expect(faster.exitCode == .improvementOnly)
    // A regression anywhere wins over improvements elsewhere.
    let mixed = try Comparison(
      candidate: RegressionFixtures.file([1200, 1210, 1190, 1205, 1195], latencyScale: 1.5),
      baseline: baseline)
    #expect(mixed.exitCode == .regression)
  }
}

@Suite struct RegressionLatencyFloorTests {
  @Test func oneClockStepOnAFastOperationIsNotAVerdict() throws {
    // p50 80 ns -> 90 ns is +12.5%, but one 10 ns clock step: below the 20 ns floor.
    let row = Comparison.row(
      workload: "w", label: "w", operation: "UPDATE", metric: .p50, candidate: [90, 90, 90, 90, 90],
      baseline: [80, 80, 80, 80, 80], thresholds: GateThresholds(), mode: .unpaired)
    #expect(row.verdict == .unchanged)
    var strict = GateThresholds()
    try strict.apply(argument: "latency_floor_ns=0")
    try strict.apply(argument: "stored_latency_floor_ns=0")
    let flagged = Comparison.row(
      workload: "w", label: "w", operation: "UPDATE", metric: .p50, candidate: [90, 90, 90, 90, 90],
      baseline: [80, 80, 80, 80, 80], thresholds: strict, mode: .unpaired)
    #expect(flagged.verdict == .regression)
  }
}
