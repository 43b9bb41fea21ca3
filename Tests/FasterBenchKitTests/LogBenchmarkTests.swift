import FasterCore
import FasterPlatform
import FasterStorage
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

/// The FasterLog workload's consumer iterator (end-to-end latency, every committed entry
/// seen exactly once) and its entry-size distribution, with the inputs they refuse.
@Suite struct LogConsumerTests {
  static func benchmark(_ entrySize: LogEntrySize, policy: LogCommitPolicy, device: DeviceKind = .file)
    -> LogBenchmark
  {
    var benchmark = LogBenchmark(
      directory: NSTemporaryDirectory() + "fasterbench-log-consumer-\(getpid())-\(UUID().uuidString)")
    benchmark.seconds = 0.3
    benchmark.device = device
    benchmark.entrySize = entrySize
    benchmark.commitPolicy = policy
    benchmark.consumesEntries = true
    benchmark.measuresRawBandwidth = false
    benchmark.log = HybridLogSettings(pageSizeBytes: 1 << 16, memoryBytes: 1 << 20)
    return benchmark
  }

  @Test(arguments: [("ms:1", DeviceKind.file), ("manual", DeviceKind.file)])
  func aConsumerRunSeesEveryCommittedEntryAndRecordsEndToEndLatency(policy: String, device: DeviceKind) throws
  {
    let benchmark = Self.benchmark(
      .uniform(minimum: 8, maximum: 300), policy: LogBenchmark.parsePolicy(policy)!, device: device)
    let result = try benchmark.run()
    #expect(result.error == nil, "\(result.error ?? "")")
    #expect(result.appends > 0 && result.consumed == result.appends)
    let endToEnd = try #require(result.endToEndLatency)
    #expect(endToEnd.totalCount == result.appends && endToEnd.max > 0)
    // Sizes are drawn per entry: the payload is neither all-minimum nor all-maximum.
    #expect(result.payloadBytes > result.appends * 8 && result.payloadBytes < result.appends * 300)
    #expect(
      result.text.contains("consumer: \(result.appends) of \(result.appends) entries, end-to-end latency"))

    let record = benchmark.record(result, workload: "fasterlog-consumer-test")
    let phase = try #require(record.phases.last)
    #expect(phase.operationTypes.map(\.name) == ["COMMIT", "END-TO-END"])
    #expect(phase.operationTypes[1].latency?.count == result.appends)
    #expect(
      record.properties["log.entrybytes"] == "uniform:8-300" && record.properties["log.consumer"] == "true")
    let decoded = try ResultsFile.decode(ResultsFile(runs: [record]).encoded())
    let log = try #require(decoded.runs[0].log)
    #expect(log.consumedEntries == log.entries && log.endToEndLatency?.count == log.entries)
    #expect(log.entrySize == "uniform:8-300" && log.entryBytes == 300)
  }

  @Test func aRunWithoutAConsumerKeepsItsWorkloadIdentity() {
    var benchmark = Self.benchmark(.fixed(512), policy: .everyMilliseconds(1))
    benchmark.consumesEntries = false
    #expect(benchmark.properties["log.consumer"] == nil && benchmark.properties["log.entrybytes"] == "512")
  }

  @Test func entrySizesParseAndMalformedOnesAreRefused() throws {
    #expect(try LogEntrySize.parse("4096").get() == .fixed(4096))
    #expect(try LogEntrySize.parse("uniform:64-4096").get() == .uniform(minimum: 64, maximum: 4096))
    #expect(try LogEntrySize.parse("uniform:64-64").get() == .uniform(minimum: 64, maximum: 64))
    for (text, message) in [
      ("uniform:4096-64", "MIN 4096 is larger than MAX 64"),
      ("uniform:64", "use uniform:MIN-MAX"),
      ("uniform:a-b", "use uniform:MIN-MAX"),
      ("uniform:-1-5", "use uniform:MIN-MAX"),
      ("normal:10-20", "use N (fixed payload bytes"),
      ("-3", "must be >= 0"),
    ] {
      guard case .failure(let error) = LogEntrySize.parse(text) else {
        Issue.record("\(text) was accepted")
        continue
      }
      #expect(error.description.contains(message), "\(text): \(error.description)")
    }
  }

  @Test func uniformSizesAreSeededAndCoverTheRange() {
    let size = LogEntrySize.uniform(minimum: 10, maximum: 13)
    func draws(_ stream: UInt64) -> [Int] {
      var random = RandomSource(seed: 1, stream: stream)
      return (0..<1_000).map { _ in size.draw(&random) }
    }
    #expect(draws(0) == draws(0) && draws(0) != draws(1))
    #expect(Set(draws(0)) == [10, 11, 12, 13])
  }

  @Test func aConsumerRefusesEntriesTooSmallForTheTimestamp() throws {
    for size in [LogEntrySize.fixed(4), .uniform(minimum: 0, maximum: 100)] {
      #expect {
        _ = try Self.benchmark(size, policy: .manual).run()
      } throws: { error in
        (error as? BindingError)?.description.contains("needs entries of at least 8 bytes") == true
      }
    }
    #expect {
      _ = try Self.benchmark(.fixed(64), policy: .manual, device: .null).run()
    } throws: { error in
      (error as? BindingError)?.description.contains("use --device file or uring") == true
    }
    let properties = try Properties(
      parsing: "workload=fasterlog\nlog.entrybytes=4\nlog.consumer=true\n", source: "test")
    #expect {
      _ = try LogBenchmark(properties: properties)
    } throws: { error in
      (error as? BindingError)?.description.contains("needs entries of at least 8 bytes") == true
    }
    var malformed = properties
    malformed["log.entrybytes"] = "uniform:9-3"
    #expect {
      _ = try LogBenchmark(properties: malformed)
    } throws: { error in
      (error as? BindingError)?.description.contains(
        "log.entrybytes=uniform:9-3: entry size uniform:9-3: MIN 9") == true
    }
  }

  /// The consumer's checks can fail: an entry of a size the workload never draws, or with a
  /// timestamp outside the run, is reported as torn.
  @Test func theConsumerReportsEntriesItCannotHaveBeenGiven() throws {
    for (payload, message) in [
      ([UInt8](repeating: 0, count: 12), "has 12 bytes, outside entry size 16"),
      ([UInt8](repeating: 0, count: 16), "outside the run (torn entry)"),
    ] {
      let directory = NSTemporaryDirectory() + "fasterbench-log-torn-\(getpid())-\(UUID().uuidString)"
      defer { try? FasterLog.remove(directory: directory) }
      var settings = FasterLogSettings(directory: directory)
      settings.log = HybridLogSettings(pageSizeBytes: 1 << 16, memoryBytes: 1 << 20)
      settings.commitPolicy = .manual
      let log = try FasterLog(settings: settings, deviceKind: .file)
      let started = monotonicNanoseconds()
      let consumer = LogConsumer.start(
        log, log.iterator(from: log.beginAddress), entrySize: .fixed(16), startedNanoseconds: started)
      var good = [UInt8](repeating: 0, count: 16)
      withUnsafeBytes(of: monotonicNanoseconds()) { good.replaceSubrange(0..<8, with: $0) }
      _ = try log.enqueue(good)
      _ = try log.enqueue(payload)
      try log.commit(wait: true)
      let outcome = consumer.finish(log, committedUntil: log.committedUntilAddress.rawValue, stallSeconds: 10)
      #expect(outcome.consumed == 1)
      #expect(outcome.error?.contains(message) == true, "\(outcome.error ?? "no error")")
    }
  }
}

/// `fasterbench log --consumer` and `--entry-bytes uniform:MIN-MAX` as a user runs them.
@Suite struct LogConsumerCommandLineTests {
  @Test func badEntrySizesAreRefusedWithTheReason() throws {
    for (arguments, message) in [
      (["--consumer", "--entry-bytes", "4"], "needs entries of at least 8 bytes"),
      (["--entry-bytes", "uniform:9-3"], "MIN 9 is larger than MAX 3"),
      (["--entry-bytes", "uniform:64"], "use uniform:MIN-MAX"),
      (["--consumer", "--device", "null"], "use --device file or uring"),
    ] {
      let process = try FasterbenchProcess(["log", "--seconds", "0.2", "--no-raw"] + arguments)
      let status = process.exitStatus()
      #expect(status != 0 && process.stderr.contains(message), "\(arguments): \(status) \(process.stderr)")
    }
  }

  @Test func aConsumerRunReportsEndToEndLatencyInTheTextAndTheResults() throws {
    let directory = try TestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let json = directory.appendingPathComponent("log.json").path
    let process = try FasterbenchProcess([
      "log", "--consumer", "--entry-bytes", "uniform:8-256", "--commit-policy", "ms:1", "--device", "file",
      "--seconds", "0.3", "--no-raw", "--page-size", "65536", "--memory", "1048576", "--directory",
      directory.appendingPathComponent("log").path, "--json", json,
    ])
    #expect(process.exitStatus() == 0, "\(process.stderr)")
    #expect(process.stdout.contains("consumer: yes") && process.stdout.contains("end-to-end latency µs p50"))
    let record = try ResultsFile.decode(Data(contentsOf: URL(fileURLWithPath: json))).runs[0]
    #expect(record.workload == "fasterlog-uniform8-256-ms1-consumer")
    let log = try #require(record.log)
    #expect(log.entries > 0 && log.consumedEntries == log.entries && log.entrySize == "uniform:8-256")
    #expect(record.phases.last?.operationTypes.map(\.name) == ["COMMIT", "END-TO-END"])
  }
}
