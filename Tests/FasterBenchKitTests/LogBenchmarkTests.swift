import FasterCore
import FasterTestSupport
import Foundation
import Testing
import YCSB

@testable import FasterBenchKit

/// The FasterLog workload runs and counts, and its policy names parse.
@Suite struct LogBenchmarkTests {
  @Test func policyNamesParse() {
    #expect(LogBenchmark.parsePolicy("manual") == .manual)
    #expect(LogBenchmark.parsePolicy("page") == .onPageFull)
    #expect(LogBenchmark.parsePolicy("bytes:4096") == .everyBytes(4096))
    #expect(LogBenchmark.parsePolicy("ms:5") == .everyMilliseconds(5))
    #expect(LogBenchmark.parsePolicy("ms:0") == nil)
    #expect(LogBenchmark.parsePolicy("sometimes") == nil)
  }

  @Test(arguments: ["manual", "ms:2"])
  func aShortRunAppendsAndCommits(policy: String) throws {
    let directory = NSTemporaryDirectory() + "fasterbench-log-test-\(getpid())-\(policy)"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var benchmark = LogBenchmark(directory: directory)
    benchmark.seconds = 0.2
    benchmark.device = .file
    benchmark.commitPolicy = LogBenchmark.parsePolicy(policy)!
    benchmark.log = HybridLogSettings(pageSizeBytes: 1 << 16, memoryBytes: 1 << 20)
    let result = try benchmark.run()
    #expect(result.appends > 0)
    #expect(result.commits > 0)
    #expect(result.text.contains("appends/s"))
  }
}

/// A log run in the results schema: its record, the raw device figures, and the gate's
/// treatment (log against log compares; log against key-value is refused, even forced).
@Suite struct LogResultsTests {
  static func shortRun(entryBytes: Int = 512, repetition: Int? = nil) throws -> RunRecord {
    let directory = NSTemporaryDirectory() + "fasterbench-log-results-\(getpid())-\(UUID().uuidString)"
    var benchmark = LogBenchmark(directory: directory)
    benchmark.seconds = 0.2
    benchmark.device = .file
    benchmark.entryBytes = entryBytes
    benchmark.commitPolicy = .everyMilliseconds(1)
    benchmark.log = HybridLogSettings(pageSizeBytes: 1 << 16, memoryBytes: 1 << 20)
    benchmark.rawWriteBytes = 1 << 16
    let result = try benchmark.run(rawFirst: repetition.map { $0 % 2 == 1 } ?? false)
    #expect(!FileManager.default.fileExists(atPath: directory + "-raw"), "the raw writer removes its files")
    return benchmark.record(result, workload: "fasterlog-test", repetition: repetition)
  }

  @Test func aLogRunRecordsMegabytesTheRawDeviceAndTheRatio() throws {
    let record = try Self.shortRun()
    #expect(record.command == "log" && record.binding == "fasterlog" && record.isLogRun)
    let log = try #require(record.log)
    #expect(log.entries > 0 && log.entryBytes == 512 && log.commitPolicy == "ms:1" && log.device == "file")
    #expect(abs(log.megabytesPerSecond - Double(log.entries) * 512 / log.seconds / 1e6) < 1e-6)
    let raw = try #require(log.raw)
    #expect(raw.bytes > 0 && raw.syncs > 1 && raw.megabytesPerSecond > 0 && raw.syncLatency.count > 0)
    #expect(abs((log.rawRatio ?? 0) - log.megabytesPerSecond / raw.megabytesPerSecond) < 1e-9)
    let phase = try #require(record.phases.last)
    #expect(phase.name == "log" && phase.throughputOperationsPerSecond == log.entriesPerSecond)
    #expect(phase.operationTypes.map(\.name) == ["COMMIT"])
    #expect((phase.operationTypes[0].latency?.count ?? 0) > 0)
    #expect(record.properties["log.entrybytes"] == "512" && record.properties["log.commitpolicy"] == "ms:1")

    // Through the results file and back.
    let decoded = try ResultsFile.decode(ResultsFile(runs: [record]).encoded())
    #expect(decoded.runs[0].log?.entries == log.entries)
    #expect(decoded.runs[0].log?.raw?.syncLatency.count == raw.syncLatency.count)
  }

  @Test func logRunsCompareWithALogBaselineAndTheReportShowsTheRatio() throws {
    let candidate = ResultsFile(runs: try (0..<2).map { try Self.shortRun(repetition: $0) })
    let baseline = ResultsFile(runs: try (0..<2).map { try Self.shortRun(repetition: $0) })
    let comparison = try Comparison(candidate: candidate, baseline: baseline)
    let names = comparison.rows.map { "\($0.operation) \($0.metric.displayName)" }
    #expect(names == ["ALL throughput", "COMMIT p50", "COMMIT p99", "COMMIT p99.9"])
    let html = HTMLReport(
      title: "log", inputs: [.init(name: "candidate", file: candidate)],
      baseline: .init(name: "baseline", file: baseline)
    ).html()
    #expect(html.contains("<h2>FasterLog</h2>") && html.contains("log/raw") && !html.contains("refusing"))

    // Another entry size is another workload: refused, naming the property.
    let other = ResultsFile(runs: try (0..<2).map { try Self.shortRun(entryBytes: 64, repetition: $0) })
    #expect {
      _ = try Comparison(candidate: other, baseline: baseline)
    } throws: { error in
      (error as? GateError)?.description.contains("log.entrybytes 64 vs 512") == true
    }
  }

  @Test func aKeyValueBaselineAgainstALogRunIsRefusedEvenForced() throws {
    let log = ResultsFile(runs: try (0..<2).map { try Self.shortRun(repetition: $0) })
    let keyValue = RegressionFixtures.file([1000, 1010])
    for (candidate, baseline, expected) in [
      (
        log, keyValue,
        "the candidate holds only FasterLog runs (command log), the baseline only key-value runs"
      ),
      (
        keyValue, log,
        "the candidate holds only key-value runs, the baseline only FasterLog runs (command log)"
      ),
    ] {
      for force in [false, true] {
        #expect {
          _ = try Comparison(candidate: candidate, baseline: baseline, force: force)
        } throws: { error in
          guard let gate = error as? GateError else { return false }
          return gate.description.contains("refusing to compare") && gate.description.contains(expected)
            && gate.description.contains("baseline of the same log workload")
        }
      }
    }
    // One label that is a log workload on one side and a key-value one on the other.
    var relabelled = log
    for index in relabelled.runs.indices { relabelled.runs[index].workload = "workloada" }
    var mixed = keyValue
    mixed.runs += log.runs
    #expect {
      _ = try Comparison(candidate: relabelled, baseline: mixed, force: true)
    } throws: { error in
      (error as? GateError)?.description.contains("workload workloada: the candidate's are FasterLog runs")
        == true
    }
  }

  @Test func aLogWorkloadFileParsesAndBadPropertiesAreNamed() throws {
    var properties = try Properties(
      parsing:
        "workload=fasterlog\nlog.entrybytes=4096\nlog.commitpolicy=ms:1\nlog.producers=3\nlog.raw=false\n",
      source: "test")
    #expect(LogBenchmark.isLogWorkload(properties))
    let benchmark = try LogBenchmark(properties: properties)
    #expect(benchmark.entryBytes == 4096 && benchmark.producers == 3 && !benchmark.measuresRawBandwidth)
    #expect(benchmark.commitPolicy == .everyMilliseconds(1))
    for (name, value, message) in [
      ("log.commitpolicy", "sometimes", "log.commitpolicy=sometimes: use manual"),
      ("log.producers", "0", "log.producers=0: expected a whole number >= 1"),
      ("log.seconds", "-1", "log.seconds=-1: expected a positive number"),
      ("recordcount", "10", "unknown property recordcount for a fasterlog workload"),
    ] {
      var bad = properties
      bad[name] = value
      #expect {
        _ = try LogBenchmark(properties: bad)
      } throws: { error in
        (error as? BindingError)?.description.contains(message) == true
      }
    }
    properties["workload"] = "site.ycsb.workloads.CoreWorkload"
    #expect(!LogBenchmark.isLogWorkload(properties))
  }
}
