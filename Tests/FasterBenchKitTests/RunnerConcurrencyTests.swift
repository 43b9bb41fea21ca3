import Testing

@testable import FasterBenchKit

/// Small multi-threaded runs of the runner (worker threads, start barrier, interval mailboxes,
/// merged histograms), kept short so scripts/test.sh can re-run them under the thread sanitizer.
@Suite struct RunnerConcurrencyTests {
  @Test(arguments: [BindingKind.dictionary, .faster])
  func twoThreadsShareTheStoreAndTheirMeasurementsMerge(kind: BindingKind) throws {
    var configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("workloada")],
      overrides: [
        "recordcount=300", "operationcount=2000", "threadcount=2", "status.interval=0.2",
        "seed=\(TestSupport.seed(3))",
        "faster.log.memory=8m", "faster.log.pagesize=1m", "faster.index.size=64k",
      ])
    configuration.runner.printsStatus = true
    let capture = TestSupport.Capture()
    let record = try BindingCatalog.execute(
      kind, command: .run, configuration: configuration, output: capture.output, harnessOperations: 500)
    let phase = record.phases[1]
    #expect(phase.operations == 2000)
    #expect(phase.operationTypes.reduce(0) { $0 + $1.returnCodes.ok } == 2000)
    #expect(phase.intervals.reduce(0) { $0 + $1.operations } == 2000)
  }

  @Test func workloadEWithTwoThreadsKeepsTheIndexConsistent() throws {
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("workloade")],
      overrides: ["recordcount=300", "operationcount=600", "threadcount=2", "seed=\(TestSupport.seed(4))"])
    let capture = TestSupport.Capture()
    let record = try BindingCatalog.execute(
      .dictionary, command: .run, configuration: configuration, output: capture.output, harnessOperations: 500
    )
    let phase = record.phases[1]
    #expect(phase.operations == 600)
    let inserts = phase.operationTypes.first { $0.name == "INSERT" }?.operations ?? 0
    #expect(phase.orderedIndex?.insertCount == inserts)
    for operation in phase.operationTypes { #expect(operation.returnCodes.ok == operation.operations) }
  }
}
