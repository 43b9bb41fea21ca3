import Foundation
import Testing

@testable import FasterBenchKit

/// The gate's verdicts where it used to pass silently: one-sided tests, drops no rank test over
/// few repetitions can show, too few repetitions, nothing or only part to compare, candidates
/// whose operations failed, and results files of an unknown schema.
@Suite struct RegressionVerdictTests {
  func row(
    _ candidate: [Double], _ baseline: [Double], metric: GateMetric = .throughput,
    mode: Comparison.Mode = .unpaired
  )
    -> ComparisonRow
  {
    Comparison.row(
      workload: "w", label: "w", operation: metric == .throughput ? "ALL" : "READ", metric: metric,
      candidate: candidate, baseline: baseline, thresholds: GateThresholds(), mode: mode)
  }

  @Test func exactMannWhitneyOverThreeAgainstThreeCannotReachFivePercent() {
    // 1 / C(6, 3) = 0.05 exactly; the normal approximation would claim 0.04.
    #expect(abs(MannWhitneyTest.smallestOneSidedPValue(3, 3) - 0.05) < 1e-12)
    #expect(abs(MannWhitneyTest.smallestOneSidedPValue(4, 4) - 1.0 / 70) < 1e-12)
    #expect(abs(MannWhitneyTest.smallestOneSidedPValue(5, 5) - 1.0 / 252) < 1e-12)
    let test = MannWhitneyTest([1, 2, 3, 4], [5, 6, 7, 8])
    #expect(abs(test.pValueFirstSmaller - 1.0 / 70) < 1e-12)
    #expect(test.pValueFirstLarger == 1)
  }

  @Test func aThirdOfTheThroughputOverThreeRepetitionsIsARegression() {
    let baseline = [1_000_000.0, 1_020_000, 980_000]
    let candidate = baseline.map { $0 / 3 }
    let verdict = row(candidate, baseline)
    #expect(verdict.verdict == .regression)
    // And its latency going up threefold.
    #expect(row([3000, 3100, 2900], [1000, 1010, 990], metric: .p99).verdict == .regression)
    // The same in the other direction is an improvement, not a regression.
    #expect(row(baseline, candidate).verdict == .improvement)
  }

  @Test func aDropBeyondTheThresholdThatOverlapsIsTooFewRepetitions() {
    // -7 % in the medians, beyond the 5 % limit, but 3 against 3 can never be significant.
    let verdict = row([92, 93, 99], [100, 102, 98])
    #expect(verdict.verdict == .underpowered)
    #expect(verdict.repetitionsNeeded == 4)
    // Four pairs can never be significant either (one-sided best case 0.05); five can.
    let paired = row([0.9, 0.92, 1.02, 0.91], [1, 1, 1, 1], mode: .paired)
    #expect(paired.verdict == .underpowered)
    #expect(paired.repetitionsNeeded == 5)
  }

  @Test func tooFewRepetitionsIsItsOwnExitCodeNamingTheCountNeeded() throws {
    let candidate = RegressionFixtures.file([92, 93, 99])
    let baseline = RegressionFixtures.file([100, 102, 98])
    let comparison = try Comparison(candidate: candidate, baseline: baseline)
    #expect(comparison.exitCode == .tooFewRepetitions)
    #expect(comparison.exitCode.rawValue == 6)
    let text = ComparisonReport.text(comparison).joined(separator: "\n")
    #expect(text.contains("repeat at least 4 times per side"))
  }

  @Test func noWorkloadInCommonIsNotComparableEvenForced() {
    let candidate = RegressionFixtures.file([100, 101, 99])
    var baseline = candidate
    for index in baseline.runs.indices { baseline.runs[index].workload = "workloadb" }
    for force in [false, true] {
      #expect {
        _ = try Comparison(candidate: candidate, baseline: baseline, force: force)
      } throws: { error in
        let error = error as! GateError
        return error.exitCode == .notComparable && error.description.contains("nothing to compare")
          && error.description.contains("workloadb")
      }
    }
  }

  @Test func aCandidateMissingWorkloadsSaysWhichAndDoesNotPass() throws {
    let candidate = RegressionFixtures.file([100, 101, 99, 100, 101])
    var other = candidate
    for index in other.runs.indices { other.runs[index].workload = "workloadb" }
    var baseline = candidate
    baseline.runs += other.runs
    #expect {
      _ = try Comparison(candidate: candidate, baseline: baseline)
    } throws: { error in
      let error = error as! GateError
      return error.exitCode == .notComparable && error.description.contains("lacks 1 of the baseline's 2")
        && error.description.contains("workloadb")
    }
    let forced = try Comparison(candidate: candidate, baseline: baseline, force: true)
    #expect(forced.notes.contains { $0.contains("workloadb") })
  }

  @Test func aCandidateWithErrorReturnsFailsTheGate() throws {
    var candidate = RegressionFixtures.file([1000, 1010, 990, 1005, 995])
    let baseline = candidate
    let phase = candidate.runs[2].phases.count - 1
    candidate.runs[2].phases[phase].operationTypes[0].returnCodes.error = 7
    let comparison = try Comparison(candidate: candidate, baseline: baseline)
    #expect(comparison.exitCode == .operationErrors)
    #expect(comparison.candidateFailures.count == 1)
    #expect(comparison.candidateFailures[0].contains("repetition 2"))
    #expect(comparison.candidateFailures[0].contains("7 of"))
    #expect(ComparisonReport.text(comparison).contains { $0.hasPrefix("FAILED:") })
  }

  @Test func runErrorSummaryNamesTheFirstErrorAndCount() throws {
    var phases = RegressionFixtures.template.phases
    phases[0].operationTypes[0].returnCodes.error = 40
    let summary = try #require(
      RunErrorSummary.summarize(
        phases: phases, firstError: "disk full writing /x/log.3", allowedErrorRate: 0, stoppedEarly: false))
    #expect(summary.failed)
    #expect(
      summary.message.hasPrefix(
        "40 of \(phases[0].operationTypes[0].operations) inserts failed in the load phase"))
    #expect(summary.message.hasSuffix(": disk full writing /x/log.3"))
    let allowed = try #require(
      RunErrorSummary.summarize(phases: phases, firstError: nil, allowedErrorRate: 0.5, stoppedEarly: false))
    #expect(!allowed.failed)
    #expect(
      RunErrorSummary.summarize(
        phases: RegressionFixtures.template.phases, firstError: nil, allowedErrorRate: 0, stoppedEarly: false)
        == nil)
  }

  @Test func anUnknownSchemaVersionIsRefused() throws {
    var file = RegressionFixtures.file([100, 101])
    file.schemaVersion = ResultsFile.currentSchemaVersion + 1
    let path = try TestSupport.temporaryDirectory().appendingPathComponent("future.json").path
    try file.write(to: path)
    #expect {
      _ = try ResultsLoader.load(path: path)
    } throws: { error in
      let error = error as! GateError
      return error.exitCode == .inputError
        && error.description.contains("schemaVersion \(file.schemaVersion)")
    }
    // The current and the first version still load.
    file.schemaVersion = 1
    try file.write(to: path)
    #expect(try ResultsLoader.load(path: path).runs.count == 2)
  }
}
