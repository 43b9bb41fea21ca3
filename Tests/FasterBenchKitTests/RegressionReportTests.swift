import Foundation
import Testing

@testable import FasterBenchKit

/// The HTML report's structure (a browser check is in scripts, not CI: Chromium is too heavy).
@Suite struct RegressionReportTests {
  @Test func reportIsSelfContainedWithAllCharts() throws {
    let baseline = RegressionFixtures.file([1000, 1010, 990, 1005, 995])
    let candidate = RegressionFixtures.file([900, 910, 890, 905, 895])
    let entry = GateHistoryEntry(suite: "smoke", candidate: candidate, comparison: nil, run: nil)
    let html = HTMLReport(
      title: "t", inputs: [.init(name: "candidate.json", file: candidate)],
      baseline: .init(name: "baseline.json", file: baseline), history: [entry, entry]
    ).html()
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(!html.contains("<script"))
    #expect(!html.contains("src=\"http"))
    #expect(!html.contains("href=\"http"))
    for heading in [
      "Against the baseline", "Throughput per workload", "Latency percentiles", "Throughput over time",
      "History",
    ] {
      #expect(html.contains(heading), "missing section \(heading)")
    }
    #expect(html.components(separatedBy: "<svg").count - 1 >= 4)
    #expect(html.contains("REGRESSION"))
    #expect(html.components(separatedBy: "<svg").count == html.components(separatedBy: "</svg>").count)
  }

  @Test func historyLinesRoundTrip() throws {
    let path = try TestSupport.temporaryDirectory().appendingPathComponent("history.jsonl").path
    let file = RegressionFixtures.file([1000, 1010, 990])
    let comparison = try Comparison(candidate: file, baseline: file)
    try GateHistoryEntry(suite: "smoke", candidate: file, comparison: comparison, run: "r1").append(to: path)
    try GateHistoryEntry(suite: "smoke", candidate: file, comparison: comparison, run: "r2").append(to: path)
    let entries = try GateHistoryEntry.read(path: path)
    #expect(entries.map(\.run) == ["r1", "r2"])
    #expect(entries[0].throughput["workloada [dictionary]"] == 1000)
  }

  @Test func sweepPointsAreTheCartesianProduct() throws {
    let points = KnobSweep.points([
      try KnobSweep.Dimension(argument: "faster.log.mutablefraction=0.5,0.9"),
      try KnobSweep.Dimension(argument: "threadcount=1,2"),
    ])
    #expect(
      points.map(\.label) == [
        "faster.log.mutablefraction=0.5 threadcount=1", "faster.log.mutablefraction=0.5 threadcount=2",
        "faster.log.mutablefraction=0.9 threadcount=1", "faster.log.mutablefraction=0.9 threadcount=2",
      ])
    #expect(throws: GateError.self) { try KnobSweep.Dimension(argument: "novalues") }
    #expect(throws: GateError.self) { try KnobSweep.Dimension(argument: "a=1,1") }
  }
}

/// Chart axes with degenerate data (one history point, zeros on a log axis) must finish.
@Suite struct SVGChartAxisTests {
  @Test func logAxisWithZeroValuesHasFiniteTicks() {
    let axis = SVGChart.Axis(label: "latency", logarithmic: true)
    let range = SVGChart.range([0, 0, 120, 5_000], axis: axis)
    #expect(range.0 > 0)
    #expect(SVGChart.ticks(range, axis: axis).count < 100)
    #expect(SVGChart.ticks((0, 100), axis: axis).isEmpty)
  }

  @Test func singlePointAndUnixTimesHaveFiniteTicks() {
    let axis = SVGChart.Axis(label: "time", logarithmic: false)
    #expect(SVGChart.ticks((1_764_000_000, 1_764_000_000), axis: axis).count == 1)
    #expect(SVGChart.ticks((1_764_000_000, 1_764_000_000.000001), axis: axis).count <= 50)
    #expect(SVGChart.ticks((0, 0), axis: axis).count == 1)
  }
}
