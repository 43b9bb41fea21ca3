import Foundation
import Testing

@testable import FasterBenchKit

/// The built `fasterbench` on runs whose operations fail and on comparisons the gate used to
/// pass: exit codes and the messages a person acts on.
@Suite struct GateCommandLineTests {
  func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    try CommandLineTests().run(arguments)
  }

  func write(_ file: ResultsFile) throws -> String {
    let path = try TestSupport.temporaryDirectory().appendingPathComponent("results.json").path
    try file.write(to: path)
    return path
  }

  @Test(.enabled(if: CommandLineTests.executable != nil, "the fasterbench executable is not built"))
  func aRunWhoseInsertsFailExitsFiveNamingTheCause() throws {
    let json = try TestSupport.temporaryDirectory().appendingPathComponent("run.json").path
    // A memory-only log of 256 KiB cannot hold 20,000 YCSB records.
    let arguments = [
      "run", "faster", "-P", TestSupport.workload("workloada"), "-p", "recordcount=20000", "-p",
      "operationcount=100", "-p", "faster.log.pagesize=64k", "-p", "faster.log.memory=256k",
    ]
    let result = try run(arguments + ["--json", json])
    #expect(result.status == GateExitCode.operationErrors.rawValue, "\(result.stderr)")
    #expect(result.stderr.contains("inserts failed in the load phase"))
    #expect(result.stderr.contains("out of memory"))
    let file = try ResultsFile.decode(Data(contentsOf: URL(fileURLWithPath: json)))
    let errors = try #require(file.runs.first?.errors)
    #expect(errors.failed && errors.stoppedEarly && errors.operation == "INSERT")
    #expect(file.runs[0].phases.map(\.name) == ["load"])
    // maxerrorrate lets an experiment go on: exit 0, with a warning.
    let allowed = try run(arguments + ["-p", "maxerrorrate=1"])
    #expect(allowed.status == 0, "\(allowed.stderr)")
    #expect(allowed.stderr.contains("warning") && allowed.stderr.contains("inserts failed"))
  }

  @Test(.enabled(if: CommandLineTests.executable != nil, "the fasterbench executable is not built"))
  func aRunThrottledToAThirdOverThreeRepetitionsIsARegression() throws {
    let directory = try TestSupport.temporaryDirectory()
    func repeated(target: Int, name: String) throws -> (String, Int32) {
      let path = directory.appendingPathComponent(name).path
      let result = try run([
        "run", "dictionary", "-P", TestSupport.workload("workloadc"), "-p", "recordcount=500", "-p",
        "operationcount=1500", "-target", String(target), "--repeat", "3", "--seed", "1", "--json", path,
      ])
      return (path, result.status)
    }
    let (baseline, baselineStatus) = try repeated(target: 30_000, name: "baseline.json")
    let (candidate, candidateStatus) = try repeated(target: 10_000, name: "candidate.json")
    try #require(baselineStatus == 0 && candidateStatus == 0)
    let result = try run(["compare", candidate, baseline, "--force"])
    #expect(result.status == GateExitCode.regression.rawValue, "\(result.stdout)\n\(result.stderr)")
    #expect(result.stdout.contains("REGRESSION"))
  }

  @Test(.enabled(if: CommandLineTests.executable != nil, "the fasterbench executable is not built"))
  func comparisonsWithNothingOrTooLittleToJudgeSaySo() throws {
    let candidate = RegressionFixtures.file([92, 93, 99])
    var other = candidate
    for index in other.runs.indices { other.runs[index].workload = "workloadb" }
    // No workload in common: exit 3, even forced.
    let disjoint = try run(["compare", try write(candidate), try write(other), "--force"])
    #expect(disjoint.status == GateExitCode.notComparable.rawValue)
    #expect(disjoint.stderr.contains("nothing to compare"))
    // Too few repetitions to ever show a 7 % drop: exit 6, naming the repetitions needed.
    let few = try run(["compare", try write(candidate), try write(RegressionFixtures.file([100, 102, 98]))])
    #expect(few.status == GateExitCode.tooFewRepetitions.rawValue, "\(few.stdout)")
    #expect(few.stdout.contains("repeat at least 4 times per side"))
    // A candidate whose operations failed: exit 5, whatever its figures say.
    var failed = RegressionFixtures.file([100, 101, 99, 100, 101])
    failed.runs[0].phases[failed.runs[0].phases.count - 1].operationTypes[0].returnCodes.error = 3
    let errors = try run([
      "compare", try write(failed), try write(RegressionFixtures.file([100, 101, 99, 100, 101])),
    ])
    #expect(errors.status == GateExitCode.operationErrors.rawValue, "\(errors.stdout)")
    #expect(errors.stdout.contains("FAILED: candidate workloada repetition 0: 3 of"))
    // A results file from a later schema: refused (exit 1), saying which versions are read.
    var future = RegressionFixtures.file([100, 101])
    future.schemaVersion = 99
    let refused = try run(["compare", try write(future), try write(RegressionFixtures.file([100, 101]))])
    #expect(refused.status == GateExitCode.inputError.rawValue)
    #expect(refused.stderr.contains("schemaVersion 99"))
  }
}
