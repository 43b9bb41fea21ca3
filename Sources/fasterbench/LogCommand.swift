import ArgumentParser
import FasterBenchKit
import FasterStorage
import Foundation

extension Fasterbench {
  struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "log",
      abstract:
        "FasterLog workload: N producers append entries under a commit policy; appends/s, MB/s, commit latency, and the raw device's bandwidth at the same commit cadence.",
      discussion: """
        Each repetition runs the log for --seconds, then a raw O_DIRECT writer on the same device kind \
        and file system (1 MiB sequential writes, fdatasync at the commit policy's cadence) for as long; \
        odd repetitions run the raw writer first. --json writes a results file (command log, binding \
        fasterlog) that compare and report accept against a baseline of the same log workload.
        """)

    @Option(help: "Producer threads.")
    var producers: Int = 2

    @Option(
      help:
        "Payload bytes per entry: N (fixed) or uniform:MIN-MAX (each entry's size drawn uniformly, seeded).")
    var entryBytes: String = "100"

    @Flag(
      help:
        "Run one consumer that follows the committed entries with the log's iterator and reports end-to-end latency (enqueue to visible); entries must be >= 8 bytes."
    )
    var consumer = false

    @Option(help: "Commit policy: manual (a committer loops), bytes:<n>, ms:<n> or page.")
    var commitPolicy: String = "ms:5"

    @Option(help: "Timed run length in seconds (the log; the raw writer runs as long).")
    var seconds: Double = 5

    @Option(help: "Device: uring, file or null.")
    var device: String = "uring"

    @Option(help: "Hybrid log page size in bytes (a power of two).")
    var pageSize: Int = 1 << 22

    @Option(help: "Hybrid log memory in bytes.")
    var memory: Int = 1 << 25

    @Option(help: "Directory for the log (emptied first; the raw writer uses <directory>-raw).")
    var directory: String = NSTemporaryDirectory() + "fasterbench-log"

    @Flag(inversion: .prefixedNo, help: "Measure the raw device bandwidth too.")
    var raw = true

    @Option(name: .customLong("repeat"), help: "Repetitions (alternating which of log and raw runs first).")
    var repetitions = 1

    @Option(help: "The workload's label in the results file (default fasterlog-<entry bytes>-<policy>).")
    var label: String?

    @Option(help: "Write the results file here (a directory gets a generated name).")
    var json: String?

    func run() throws {
      guard let policy = LogBenchmark.parsePolicy(commitPolicy) else {
        throw ValidationError("--commit-policy \(commitPolicy): use manual, bytes:<n>, ms:<n> or page")
      }
      guard let kind = DeviceKind(rawValue: device) else {
        throw ValidationError("--device \(device): use uring, file or null")
      }
      guard producers > 0, seconds > 0, repetitions >= 1 else {
        throw ValidationError("--producers, --seconds and --repeat must be positive")
      }
      let entrySize: LogEntrySize
      switch LogEntrySize.parse(entryBytes) {
      case .success(let size): entrySize = size
      case .failure(let error): throw ValidationError("--entry-bytes \(error.description)")
      }
      var benchmark = LogBenchmark(directory: directory)
      benchmark.producers = producers
      benchmark.entrySize = entrySize
      benchmark.consumesEntries = consumer
      do { try benchmark.validate() } catch { throw ValidationError(error.description) }
      benchmark.seconds = seconds
      benchmark.commitPolicy = policy
      benchmark.device = kind
      benchmark.log.pageSizeBytes = pageSize
      benchmark.log.memoryBytes = memory
      benchmark.measuresRawBandwidth = raw
      let workload =
        label
        ?? "fasterlog-\(entrySize.name)-\(commitPolicy)\(consumer ? "-consumer" : "")".replacingOccurrences(
          of: ":", with: "")
      print(
        "[FASTERLOG] producers: \(producers), entry bytes: \(entrySize.name), policy: \(commitPolicy), device: \(device), consumer: \(consumer ? "yes" : "no"), repetitions: \(repetitions)"
      )
      var records: [RunRecord] = []
      var failed = false
      for repetition in 0..<repetitions {
        let result = try benchmark.run(rawFirst: repetition % 2 == 1)
        print("[FASTERLOG] \(repetitions > 1 ? "run \(repetition + 1): " : "")\(result.text)")
        records.append(
          benchmark.record(result, workload: workload, repetition: repetitions > 1 ? repetition : nil))
        failed = failed || result.error != nil
      }
      if repetitions > 1 {
        func median(_ values: [Double]) -> Double {
          let sorted = values.sorted()
          return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        let logs = records.compactMap(\.log)
        var line = String(
          format: "[FASTERLOG] medians of %d: %.0f appends/s, %.1f MB/s, commit p99 %.0f µs", logs.count,
          median(logs.map(\.entriesPerSecond)), median(logs.map(\.megabytesPerSecond)),
          median(logs.map(\.commitLatency.microseconds.p99)))
        let endToEnd = logs.compactMap(\.endToEndLatency)
        if !endToEnd.isEmpty {
          line += String(
            format: ", end-to-end p50 %.0f µs p99 %.0f µs", median(endToEnd.map(\.microseconds.p50)),
            median(endToEnd.map(\.microseconds.p99)))
        }
        let raws = logs.compactMap(\.raw)
        if !raws.isEmpty {
          line += String(
            format: "; raw %.1f MB/s; log/raw %.1f%%", median(raws.map(\.megabytesPerSecond)),
            median(logs.compactMap(\.rawRatio)) * 100)
        }
        print(line)
      }
      if let json {
        try GateCommandSupport.run {
          let path = try GateResultsWriter.write(ResultsFile(runs: records), to: json, pretty: false)
          FileHandle.standardError.write("fasterbench: results written to \(path)\n".data(using: .utf8)!)
        }
      }
      if failed { throw ExitCode(GateExitCode.operationErrors.rawValue) }
    }
  }
}
