import FasterPlatform
import FasterTestSupport
import Foundation
import Synchronization
import YCSB

@testable import FasterBenchKit

/// Paths and helpers shared by the suites.
enum TestSupport {
  /// The repository's `workloads/` folder.
  static let workloadsDirectory: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("workloads")

  static func workload(_ name: String) -> String {
    workloadsDirectory.appendingPathComponent(name).path
  }

  /// A fresh temporary directory for one test.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "fasterbench-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Writes `text` to a new file in a temporary directory and returns its path.
  static func writeFile(_ text: String, name: String = "file") throws -> String {
    let url = try temporaryDirectory().appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  /// The seed of a randomized test: `FASTER_TEST_SEED` if set, else `fallback`; printed.
  static func seed(_ fallback: UInt64, test: String = #function) -> UInt64 {
    TestSeed.value(for: test, default: fallback)
  }

  /// A configuration from workload files and `-p` style overrides.
  static func configuration(
    workloads: [String], overrides: [String] = [], config: String? = nil
  ) throws -> BenchmarkConfiguration {
    try BenchmarkConfiguration(
      sources: .init(configFile: config, workloadFiles: workloads, overrides: overrides))
  }

  /// Collects report and status lines.
  final class Capture: Sendable {
    let report = ControlLock<[String]>([])
    let status = ControlLock<[String]>([])

    var output: Benchmark.Output {
      Benchmark.Output(
        report: { line in self.report.withLock { $0.append(line) } },
        status: StatusSink { line in self.status.withLock { $0.append(line) } })
    }

    var reportLines: [String] { report.withLock { $0 } }
    var statusLines: [String] { status.withLock { $0 } }
  }
}

/// A parsed YCSB report, as a parsing script reads one: `[SECTION], Metric, value` lines (lines
/// starting with `#` are skipped).
struct ParsedReport {
  var values: [String: [String: Double]] = [:]

  init(_ lines: [String]) {
    let pattern = /^\[([A-Za-z\-]+)\], ([^,]+), (-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)$/
    for line in lines where !line.hasPrefix("#") {
      guard let match = line.wholeMatch(of: pattern) else { continue }
      values[String(match.1), default: [:]][String(match.2)] = Double(match.3)!
    }
  }

  subscript(section: String, metric: String) -> Double? { values[section]?[metric] }
}
