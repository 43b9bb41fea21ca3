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

  // The numeric options are read as text and validated with the properties they stand for, so
  // that `-threads -1` says "must be ≥ 0" (not "Missing value") and `--warmup 1e300` names the
  // accepted range.
  @Option(
    name: .customLong("threads", withSingleDash: true), parsing: .unconditional,
    help: "Worker threads (property threadcount).")
  var threads: String?

  @Option(
    name: .customLong("target", withSingleDash: true), parsing: .unconditional,
    help: "Throttle to this many operations per second in total (property target).")
  var target: String?

  @Flag(name: .customShort("s"), help: "Print a status line on stderr every status interval.")
  var status = false

  @Option(
    parsing: .unconditional,
    help: "Seed of the per-thread generators (property seed; random and reported when absent).")
  var seed: String?

  @Option(
    parsing: .unconditional,
    help: "Seconds of run-phase operations to perform before measuring (property warmup).")
  var warmup: String?

  @Option(help: "Write the results file here (a directory gets a generated file name), e.g. results/runs/.")
  var json: String?

  @Option(
    name: .customLong("status-interval"), parsing: .unconditional,
    help: "Seconds between status lines (property status.interval, at least 0.1).")
  var statusInterval: String?

  @Option(help: "A TOML file of properties, the lowest-precedence layer.")
  var config: String?

  @Option(name: .customLong("repeat"), help: "Run this many times; the results file keeps every repetition.")
  var repetitions = 1

  @Option(
    name: .customLong("metrics-file"),
    help: ArgumentHelp(
      "Write the run's figures and the engine's metrics in Prometheus text format to this file at every status interval and at the end (for node_exporter's textfile collector; name it *.prom).",
      valueName: "path"))
  var metricsFile: String?

  func execute(_ command: PhaseKind) throws {
    guard let kind = BindingKind(rawValue: binding) else {
      throw ValidationError("unknown binding '\(binding)': expected one of \(BindingKind.acceptedForm)")
    }
    var configuration = try makeConfiguration()
    configuration.runner.printsStatus = status
    guard repetitions >= 1 else { throw ValidationError("--repeat must be at least 1") }
    try execute(command, kind: kind, configuration: configuration)
  }

  /// The merged configuration; a bad value exits 64 (EX_USAGE) with the message.
  /// `extra` adds properties at the dedicated options' layer (over -P and -p).
  func makeConfiguration(adding extra: [String: String] = [:]) throws -> BenchmarkConfiguration {
    guard !workloadFiles.isEmpty || config != nil else {
      throw ValidationError("no workload: give at least one -P workload file (or --config)")
    }
    var commandLine = Properties()
    for (name, value) in extra.sorted(by: { $0.key < $1.key }) { commandLine[name] = value }
    if let threads { commandLine["threadcount"] = threads }
    if let target { commandLine["target"] = target }
    if let seed { commandLine["seed"] = seed }
    if let warmup { commandLine["warmup"] = warmup }
    if let statusInterval { commandLine["status.interval"] = statusInterval }
    do {
      return try BenchmarkConfiguration(
        sources: .init(
          configFile: config, workloadFiles: workloadFiles, overrides: properties, commandLine: commandLine))
    } catch {
      // A bad value is a usage error (EX_USAGE), reported without a stack of help text.
      FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
      throw ExitCode(64)
    }
  }

  private func execute(_ command: PhaseKind, kind: BindingKind, configuration: BenchmarkConfiguration) throws
  {
    var output = Benchmark.Output.standard
    if let metricsFile {
      let file = MetricsTextfile(
        path: metricsFile, binding: binding, command: command.rawValue,
        workload: RepeatedRuns.label(workloadFiles: workloadFiles, configFile: config))
      do {
        try file.write()  // a path that cannot be written fails now, not after the load
      } catch {
        FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
        throw ExitCode(73)  // EX_CANTCREAT
      }
      output.metricsFile = file
    }
    RunInterruption.install()
    var records = [
      try BindingCatalog.execute(kind, command: command, configuration: configuration, output: output)
    ]
    if repetitions > 1 && records[0].interrupted == nil {
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
    if let signal = RunInterruption.signal {
      throw ExitCode(RunInterruption.exitStatus(for: signal))
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
    // A failed checkpoint is an engine failure (its message was printed at the end of its run).
    if records.contains(where: { $0.checkpointFailure != nil }) {
      throw ExitCode.failure
    }
    // A failed device (disk full, `ulimit -f`, no file descriptors left) with no failed
    // operation to report still makes the figures meaningless: the message was printed.
    if records.contains(where: { record in
      if case .string? = record.storeStatistics?["lastDeviceError"] { return true }
      return false
    }) {
      throw ExitCode.failure
    }
  }
}
