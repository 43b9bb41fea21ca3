import FasterPlatform
import Foundation
import Testing

@testable import FasterBenchKit

/// The terminal progress line: its wording, and a runner that rewrites it in place at each
/// status interval and ends it with a newline (only when given one: none under cron).
@Suite struct ProgressLineTests {
  @Test func theLineSaysCountRateAndTimeLeft() {
    #expect(
      ProgressLine.render(phase: "load", done: 12_500_000, total: 50_000_000, operationsPerSecond: 1_520_000)
        == "load: 12500000/50000000 operations (25 %), 1.52 M ops/s, 25 seconds left")
    #expect(
      ProgressLine.render(phase: "run", done: 4000, total: nil, operationsPerSecond: 2500)
        == "run: 4000 operations, 2.5 K ops/s")
    #expect(
      ProgressLine.render(phase: "run", done: 10, total: 10, operationsPerSecond: 5)
        == "run: 10/10 operations (100 %), 5 ops/s")
  }

  @Test func aRunRewritesTheLineInPlaceAndEndsIt() throws {
    let written = ControlLock<[String]>([])
    let capture = TestSupport.Capture()
    var output = capture.output
    output.progress = ProgressLine { text in written.withLock { $0.append(text) } }
    let configuration = try TestSupport.configuration(
      workloads: [TestSupport.workload("workloadc")],
      overrides: [
        "recordcount=1000", "operationcount=0", "maxexecutiontime=1", "status.interval=0.2", "seed=2",
        "target=20000",
      ])
    _ = try BindingCatalog.execute(
      .dictionary, command: .run, configuration: configuration, output: output, harnessOperations: 100)
    let texts = written.withLock { $0 }
    let updates = texts.filter { $0.hasPrefix("\r") }
    // On a loaded machine the 1,000-record load can outlast a status interval: its line
    // comes first, then the run's.
    #expect(
      updates.allSatisfy {
        ($0.hasPrefix("\rrun: ") || $0.hasPrefix("\rload: ")) && $0.hasSuffix("\u{1B}[K")
      },
      "\(updates)")
    #expect(updates.filter { $0.hasPrefix("\rrun: ") }.count >= 3, "\(texts)")
    #expect(texts.last == "\n", "the line is ended: \(texts)")
    #expect(!capture.statusLines.contains { $0.contains("\r") }, "status lines stay plain")
  }
}
