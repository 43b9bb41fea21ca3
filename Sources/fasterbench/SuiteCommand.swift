import ArgumentParser
import FasterBenchKit
import Foundation
import YCSB

extension Fasterbench {
  struct Suite: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Run several workloads, repeated and interleaved (all once, then all again, ...), into one file.",
      discussion: """
        Each --workload is one workload: a file, or files and properties separated by commas, layered \
        like -P and -p (e.g. workloads/workloade,operationcount=20000). The -p properties and options \
        apply to every workload, under the workload's own. The runs are labelled with the first file's \
        name and their repetition, and the YCSB text reports are not printed; a summary table is. \
        Histograms are kept for the first repetition of each workload only (--histograms). \
        A workload file with workload=fasterlog is a FasterLog workload (log.* properties, see \
        workloads/fasterlog-4k): it runs `fasterbench log` with its raw-device measurement; of the \
        -p properties only log.* ones apply to it.
        """)

    @Argument(help: "The store to drive: \(BindingKind.acceptedForm).")
    var binding = "faster"

    @Option(help: "A workload: FILE[,FILE...][,name=value...]; repeatable, run in the order given.")
    var workload: [String] = []

    @Option(name: .customShort("p"), help: "A property for every workload, name=value; repeatable.")
    var properties: [String] = []

    @Option(
      name: .customLong("threads", withSingleDash: true), help: "Worker threads (property threadcount).")
    var threads: Int?

    @Option(help: "Seed of the generators, the same for every run (random per workload when absent).")
    var seed: UInt64?

    @Option(name: .customLong("status-interval"), help: "Seconds between time-series points.")
    var statusInterval: Double?

    @Option(help: "A TOML file of properties, the lowest-precedence layer.")
    var config: String?

    @Option(name: .customLong("repeat"), help: "Repetitions of each workload (at least 5 to gate on).")
    var repetitions = 5

    @Option(help: "Keep whole latency histograms for: all, first (repetition of each workload) or none.")
    var histograms = "first"

    @Option(
      help: """
        Also run this workload (FILE[,name=value...]) first in every round, on the dictionary binding, \
        labelled 'calibration': compare then scales each round's figures by it (stored baselines).
        """)
    var calibration: String?

    @Option(help: "Write the results file here (a directory gets a generated name).")
    var json: String?

    func run() throws {
      guard let kind = BindingKind(rawValue: binding) else {
        throw ValidationError("unknown binding '\(binding)': expected one of \(BindingKind.acceptedForm)")
      }
      guard !workload.isEmpty else { throw ValidationError("give at least one --workload") }
      guard repetitions >= 1 else { throw ValidationError("--repeat must be at least 1") }
      guard let retention = HistogramRetention(rawValue: histograms) else {
        throw ValidationError("--histograms must be all, first or none")
      }
      var commandLine = Properties()
      if let threads { commandLine["threadcount"] = String(threads) }
      if let seed { commandLine["seed"] = String(seed) }
      if let statusInterval { commandLine["status.interval"] = String(statusInterval) }
      var entries: [RepeatedRuns.Entry] = []
      for specification in workload {
        let parts = specification.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let files = parts.filter { !$0.contains("=") }
        guard !files.isEmpty else {
          throw ValidationError("--workload \(specification) names no workload file")
        }
        let label = RepeatedRuns.label(workloadFiles: [files[0]])
        if let log = try Self.logWorkload(
          files: files,
          overrides: properties.filter { $0.hasPrefix("log.") } + parts.filter { $0.contains("=") })
        {
          entries.append(.init(label: label, log: log))
          continue
        }
        let configuration = try BenchmarkConfiguration(
          sources: .init(
            configFile: config, workloadFiles: files,
            overrides: properties + parts.filter { $0.contains("=") },
            commandLine: commandLine))
        entries.append(.init(label: label, configuration: configuration))
      }
      if let calibration {
        let parts = calibration.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let file = parts.first(where: { !$0.contains("=") }) else {
          throw ValidationError("--calibration \(calibration) names no workload file")
        }
        let configuration = try BenchmarkConfiguration(
          sources: .init(
            configFile: nil, workloadFiles: [file], overrides: properties + parts.filter { $0.contains("=") },
            commandLine: commandLine))
        entries.insert(
          .init(label: CalibrationScale.label, configuration: configuration, binding: .dictionary), at: 0)
      }
      let labels = entries.map(\.label)
      if Set(labels).count != labels.count {
        throw ValidationError("two --workload entries share a label (\(labels.joined(separator: ", ")))")
      }
      let records = try RepeatedRuns.run(
        entries, binding: kind, repetitions: repetitions, output: RepeatedRuns.quietOutput())
      let file = ResultsFile(runs: records)
      for line in ResultsSummary.lines(file) { print(line) }
      if let json {
        try GateCommandSupport.run {
          var kept = file
          kept.runs = retention.apply(to: records)
          let path = try GateResultsWriter.write(kept, to: json, pretty: retention == .none)
          StatusSink.standardError.write("fasterbench: results written to \(path)")
        }
      }
      // A gating run allows no error: its figures would measure failures.
      let failures = records.compactMap { record in
        record.errors.map {
          "workload \(record.workload ?? "?") repetition \(record.repetition ?? 0): \($0.message)"
        }
      }
      if let first = failures.first {
        StatusSink.standardError.write(
          "fasterbench: error: \(failures.count) of \(records.count) runs had operations return ERROR; first: \(first)"
        )
        throw ExitCode(GateExitCode.operationErrors.rawValue)
      }
    }

    /// The log benchmark of a `workload=fasterlog` workload; nil for a key-value workload.
    static func logWorkload(files: [String], overrides: [String]) throws -> LogBenchmark? {
      var merged = Properties()
      for file in files {
        let loaded = try Properties.load(path: file)
        for name in loaded.names { merged[name] = loaded[name] }
      }
      guard LogBenchmark.isLogWorkload(merged) else { return nil }
      let parsed = try BenchmarkConfiguration.parseOverrides(overrides)
      for name in parsed.names { merged[name] = parsed[name] }
      return try LogBenchmark(properties: merged)
    }
  }
}
