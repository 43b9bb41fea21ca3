import Foundation
import Testing

@testable import FasterBenchKit

/// Comparisons the gate refuses, and inputs it cannot read: each a clear message naming what is
/// wrong, a non-zero exit code, and nothing overwritten.
@Suite struct RegressionRefusalTests {
  static let throughputs: [Double] = [1000, 1010, 990, 1005, 995]

  func refusal(_ candidate: ResultsFile, _ baseline: ResultsFile) -> GateError? {
    do {
      _ = try Comparison(candidate: candidate, baseline: baseline)
      return nil
    } catch {
      return error
    }
  }

  @Test func mismatchedMachineIsRefused() throws {
    var candidate = RegressionFixtures.file(Self.throughputs)
    var baseline = candidate
    for index in candidate.runs.indices {
      candidate.runs[index].machine = RegressionFixtures.machine(logicalCPUs: 2)
    }
    for index in baseline.runs.indices {
      baseline.runs[index].machine = RegressionFixtures.machine(logicalCPUs: 8)
    }
    let error = try #require(refusal(candidate, baseline))
    #expect(error.kind == .notComparable)
    #expect(error.exitCode.rawValue == 3)
    #expect(error.description.contains("machine profile differs"))
    #expect(error.description.contains("x86-64-8cpu"))
    // --force compares anyway, noting what it forced past.
    let forced = try Comparison(candidate: candidate, baseline: baseline, force: true)
    #expect(forced.notes.contains { $0.contains("machine profile") })
  }

  @Test func mismatchedBuildConfigurationIsRefused() throws {
    var candidate = RegressionFixtures.file(Self.throughputs)
    let baseline = candidate
    for index in candidate.runs.indices {
      candidate.runs[index].build.configuration =
        candidate.runs[index].build.configuration == "debug" ? "release" : "debug"
    }
    let error = try #require(refusal(candidate, baseline))
    #expect(error.description.contains("build configuration differs"))
  }

  @Test func mismatchedWorkloadPropertyIsRefused() throws {
    var candidate = RegressionFixtures.file(Self.throughputs)
    let baseline = candidate
    for index in candidate.runs.indices { candidate.runs[index].properties["recordcount"] = "5000" }
    let error = try #require(refusal(candidate, baseline))
    #expect(error.description.contains("property recordcount 5000 vs 100"))
  }

  @Test func mismatchedKnobIsRefused() throws {
    var candidate = RegressionFixtures.file(Self.throughputs)
    let baseline = candidate
    for index in candidate.runs.indices { candidate.runs[index].properties["faster.refreshinterval"] = "1" }
    let error = try #require(refusal(candidate, baseline))
    #expect(error.description.contains("property faster.refreshinterval 1 vs (unset)"))
  }

  @Test func differentSeedsAreComparable() throws {
    var candidate = RegressionFixtures.file(Self.throughputs)
    let baseline = candidate
    for index in candidate.runs.indices { candidate.runs[index].properties["seed"] = "\(index + 100)" }
    #expect(refusal(candidate, baseline) == nil)
  }

  @Test func corruptJSONIsAnInputError() throws {
    let path = try TestSupport.writeFile("{ \"schemaVersion\": 1, \"runs\": [ oops", name: "corrupt.json")
    let error = try #require(throws: GateError.self) { try ResultsLoader.load(path: path) }
    #expect(error.kind == .input)
    #expect(error.exitCode.rawValue == 1)
    #expect(error.description.contains("not valid JSON"))
  }

  @Test func truncatedResultsFileIsAnInputError() throws {
    let data = try JSONEncoderFactory.results().encode(RegressionFixtures.file(Self.throughputs))
    let path = try TestSupport.temporaryDirectory().appendingPathComponent("truncated.json")
    try data.prefix(data.count / 2).write(to: path)
    let error = try #require(throws: GateError.self) { try ResultsLoader.load(path: path.path) }
    #expect(error.description.contains("corrupt or truncated"))
  }

  @Test func jsonThatIsNotAResultsFileIsAnInputError() throws {
    let path = try TestSupport.writeFile(
      "{\"schemaVersion\": 1, \"tool\": \"fasterbench\"}", name: "other.json")
    let error = try #require(throws: GateError.self) { try ResultsLoader.load(path: path) }
    #expect(
      error.description.contains("missing field 'createdAt'") || error.description.contains("missing field"))
  }

  @Test func missingFileIsAnInputError() throws {
    let error = try #require(throws: GateError.self) {
      try ResultsLoader.load(path: "/nonexistent/results.json")
    }
    #expect(error.description.contains("does not exist"))
  }

  @Test func missingBaselineNamesTheProfileAndTheFix() throws {
    let store = BaselineStore(root: try TestSupport.temporaryDirectory().path)
    let error = try #require(throws: GateError.self) {
      try store.load(name: "smoke", profile: "x86-64-2cpu-1node-test")
    }
    #expect(error.kind == .input)
    #expect(error.description.contains("no baseline 'smoke' for machine profile x86-64-2cpu-1node-test"))
    #expect(error.description.contains("fasterbench baseline update"))
  }

  @Test func refusedBaselineUpdateOverwritesNothing() throws {
    let store = BaselineStore(root: try TestSupport.temporaryDirectory().path)
    var release = RegressionFixtures.file(Self.throughputs)
    for index in release.runs.indices { release.runs[index].build.configuration = "release" }
    let path = try store.update(name: "smoke", from: release, force: false)
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    var debug = RegressionFixtures.file(Self.throughputs.map { $0 / 2 })
    for index in debug.runs.indices { debug.runs[index].build.configuration = "debug" }
    let error = try #require(throws: GateError.self) {
      try store.update(name: "smoke", from: debug, force: false)
    }
    #expect(error.description.contains("release build"))
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    // The stored baseline reads back, histograms dropped, figures kept.
    let stored = try ResultsLoader.load(path: path)
    #expect(stored.runs.count == 5)
    let latency = try #require(stored.runs[0].phases.last?.operationTypes.first?.latency)
    #expect(HistogramRetention.isStripped(latency))
    #expect(latency.nanoseconds.p99 == 1000)
  }
}
