import Foundation

/// The smoke job's history: one JSON object per line (JSON Lines), one line per run, appended.
///
///     {"commit":"9d44340...","exitCode":0,"improvements":0,"profile":"x86-64-2cpu-1node-amd-epyc",
///      "regressions":0,"run":"results/runs/20251125T100000Z","suite":"smoke",
///      "throughput":{"workloada":812345.2,...},"time":"2025-11-25T10:00:00Z"}
public struct GateHistoryEntry: Codable, Sendable, Equatable {
  /// ISO 8601, UTC.
  public var time: String
  /// The suite's name (`smoke`, `smoke-quick`, ...): the report draws one suite's trend.
  public var suite: String
  public var commit: String?
  public var profile: String
  /// The gate's exit code for this run (see ``GateExitCode``).
  public var exitCode: Int32
  public var regressions: Int
  public var improvements: Int
  /// Where the run's files are, if anywhere.
  public var run: String?
  /// The median throughput of each workload, operations per second.
  public var throughput: [String: Double]
  /// The median p99 latency over all operation types' p99s (the worst type), nanoseconds.
  public var p99Nanoseconds: [String: Double]?

  /// The entry for `candidate` as compared (`comparison` nil when no baseline was compared).
  public init(suite: String, candidate: ResultsFile, comparison: Comparison?, run: String?) {
    time = candidate.createdAt
    self.suite = suite
    commit = candidate.runs.first?.build.gitCommit
    profile = candidate.runs.first?.machine.profileName ?? "unknown"
    exitCode = comparison?.exitCode.rawValue ?? 0
    regressions = comparison?.regressions.count ?? 0
    improvements = comparison?.improvements.count ?? 0
    self.run = run
    var throughput: [String: Double] = [:]
    var p99: [String: Double] = [:]
    for series in WorkloadSeries.group(candidate) {
      throughput[series.displayName] = SampleStatistics.median(series.samples(.throughput))
      let worst = series.operationNames.map { SampleStatistics.median(series.samples(.p99, operation: $0)) }
      if let value = worst.filter(\.isFinite).max() { p99[series.displayName] = value }
    }
    self.throughput = throughput
    p99Nanoseconds = p99
  }

  /// Appends this entry as one line to `path` (creating the file and its folder).
  ///
  /// - Throws: ``GateError`` (input) when the file cannot be written.
  public func append(to path: String) throws(GateError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    do {
      let directory = (path as NSString).deletingLastPathComponent
      if !directory.isEmpty {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      }
      var line = try encoder.encode(self)
      line.append(UInt8(ascii: "\n"))
      if !FileManager.default.fileExists(atPath: path) {
        FileManager.default.createFile(atPath: path, contents: nil)
      }
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
      defer { try? handle.close() }
      try handle.seekToEnd()
      try handle.write(contentsOf: line)
    } catch {
      throw GateError(.input, "cannot append to history file \(path): \(error.localizedDescription)")
    }
  }

  /// Reads a history file; lines that do not parse (a line cut short by a crash) are skipped.
  public static func read(path: String) throws(GateError) -> [GateHistoryEntry] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw GateError(.input, "cannot read history file \(path)")
    }
    let decoder = JSONDecoder()
    return text.split(separator: "\n").compactMap {
      try? decoder.decode(GateHistoryEntry.self, from: Data($0.utf8))
    }
  }
}
