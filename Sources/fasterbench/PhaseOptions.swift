import ArgumentParser
import FasterBenchKit
import Foundation
import YCSB

/// The options `load` and `run` share.
struct PhaseOptions: ParsableArguments {
  @Argument(help: "The store to drive: \(BindingKind.acceptedForm).")
  var binding: String

  @Option(name: .customShort("P"), help: "A YCSB workload property file; repeatable, later files win.")
  var workloadFiles: [String] = []

  @Option(name: .customShort("p"), help: "A property, name=value; repeatable, wins over the files.")
  var properties: [String] = []

  @Option(name: .customLong("threads", withSingleDash: true), help: "Worker threads (property threadcount).")
  var threads: Int?

  @Option(
    name: .customLong("target", withSingleDash: true),
    help: "Throttle to this many operations per second in total (property target).")
  var target: Double?

  @Flag(name: .customShort("s"), help: "Print a status line on stderr every status interval.")
  var status = false

  @Option(help: "Seed of the per-thread generators (property seed; random and reported when absent).")
  var seed: UInt64?

  @Option(help: "Seconds of run-phase operations to perform before measuring (property warmup).")
  var warmup: Double?

  @Option(help: "Write the results file here (a directory gets a generated file name), e.g. results/runs/.")
  var json: String?

  @Option(
    name: .customLong("status-interval"), help: "Seconds between status lines (property status.interval).")
  var statusInterval: Double?

  @Option(help: "A TOML file of properties, the lowest-precedence layer.")
  var config: String?

  @Option(name: .customLong("repeat"), help: "Run this many times; the results file keeps every repetition.")
  var repetitions = 1

  func execute(_ command: PhaseKind) throws {
    guard let kind = BindingKind(rawValue: binding) else {
      throw ValidationError("unknown binding '\(binding)': expected one of \(BindingKind.acceptedForm)")
    }
    guard !workloadFiles.isEmpty || config != nil else {
      throw ValidationError("no workload: give at least one -P workload file (or --config)")
    }
    var commandLine = Properties()
    if let threads { commandLine["threadcount"] = String(threads) }
    if let target { commandLine["target"] = String(target) }
    if let seed { commandLine["seed"] = String(seed) }
    if let warmup { commandLine["warmup"] = String(warmup) }
    if let statusInterval { commandLine["status.interval"] = String(statusInterval) }
    var configuration = try BenchmarkConfiguration(
      sources: .init(
        configFile: config, workloadFiles: workloadFiles, overrides: properties, commandLine: commandLine))
    configuration.runner.printsStatus = status
    guard repetitions >= 1 else { throw ValidationError("--repeat must be at least 1") }
    var records = [try BindingCatalog.execute(kind, command: command, configuration: configuration)]
    if repetitions > 1 {
      let label = RepeatedRuns.label(workloadFiles: workloadFiles, configFile: config)
      records[0].workload = label
      records[0].repetition = 0
      records += try RepeatedRuns.run(
        [.init(label: label, configuration: configuration)], binding: kind, command: command,
        repetitions: repetitions - 1, output: .standard
      ).map { record in
        var record = record
        record.repetition! += 1
        return record
      }
    }
    if let json {
      let path = try ResultsFile(runs: records).write(to: json)
      StatusSink.standardError.write("fasterbench: results written to \(path)")
    }
    // Errors are loud: a run whose operations failed measured failures, not the store.
    if let failed = records.first(where: { $0.errors?.failed == true }), let errors = failed.errors {
      let rate = errors.allowedErrorRate > 0 ? " (maxerrorrate \(errors.allowedErrorRate))" : ""
      StatusSink.standardError.write("fasterbench: error: \(errors.message)\(rate)")
      throw ExitCode(GateExitCode.operationErrors.rawValue)
    }
    if let errors = records.first(where: { $0.errors != nil })?.errors {
      StatusSink.standardError.write(
        "fasterbench: warning: \(errors.message) (within maxerrorrate \(errors.allowedErrorRate))")
    }
  }
}
