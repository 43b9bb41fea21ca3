import FasterPlatform
import Foundation
import YCSB

/// One `fasterbench load` or `run`: measures the harness overhead, runs the load phase (and, for
/// `run`, the run phase) against the binding, prints YCSB's text report and returns the results
/// record.
public enum Benchmark {
  /// Where the report and progress go.
  public struct Output: Sendable {
    /// The final report, one line per call (stdout in the CLI).
    public var report: @Sendable (String) -> Void
    /// Status lines and warnings (stderr in the CLI).
    public var status: StatusSink
    /// `--metrics-file`: the Prometheus textfile rewritten at each status interval.
    public var metricsFile: MetricsTextfile?
    /// The in-place progress line of long phases (terminal only; nil under cron).
    public var progress: ProgressLine?

    public init(
      report: @escaping @Sendable (String) -> Void, status: StatusSink, metricsFile: MetricsTextfile? = nil
    ) {
      self.report = report
      self.status = status
      self.metricsFile = metricsFile
    }

    public static let standard: Output = {
      var output = Output(report: { print($0) }, status: .standardError)
      output.progress = .standardErrorIfTerminal
      return output
    }()
  }

  /// Runs `command` (`.load` or `.run`) and returns its record for the results file.
  ///
  /// - Throws: ``BindingError`` when a phase cannot run.
  public static func execute<Binding: KeyValueBinding>(
    _ command: PhaseKind, binding: Binding, configuration: BenchmarkConfiguration, output: Output = .standard,
    harnessOperations: Int = 200_000
  ) throws(BindingError) -> RunRecord {
    if command == .run && configuration.workload.operationCount == 0
      && configuration.runner.maxExecutionTimeSeconds == 0
    {
      throw BindingError(
        "operationcount=0 means an unbounded run: set maxexecutiontime (seconds) or a positive operationcount"
      )
    }
    let build = BuildInfo.current()  // before the phases open files (it starts `git`)
    var warnings = configuration.warnings
    if command == .load && configuration.runner.warmupSeconds > 0 {
      warnings.append("fasterbench: warning: --warmup applies to the run phase only; ignored by load")
    }
    for warning in warnings { output.status.write(warning) }
    let runner = try BenchmarkRunner(
      binding: binding, configuration: configuration, status: output.status, metricsFile: output.metricsFile,
      progress: output.progress)
    let settings = configuration.runner
    output.status.write(
      "fasterbench: \(command.rawValue) \(binding.name), record mode \(configuration.knobs.record.rawValue), "
        + "\(settings.threadCount) thread(s), seed \(settings.seed)")
    let overhead = HarnessOverhead.measure(
      configuration: configuration, phase: command, operations: harnessOperations)
    output.status.write(
      "fasterbench: harness overhead \(LatencyFormat.twoDecimals(overhead.nanosecondsPerOperation)) ns/op "
        + "(clock \(overhead.clockSource), \(LatencyFormat.twoDecimals(overhead.clockReadNanoseconds)) ns/read)"
    )
    output.metricsFile?.harnessOverhead(nanosecondsPerOperation: overhead.nanosecondsPerOperation)

    output.status.write("Loading workload...")
    // `maxexecutiontime` bounds the `load` command (as in YCSB) but not the load before a run.
    let load = try runner.runPhase(
      .load, honoringTimeBound: command == .load, checkpointing: command == .load)
    let loaded = load.measurements.operations + load.warmupOperations
    if load.stoppedForErrors {
      output.status.write(
        "fasterbench: error: inserts failed beyond maxerrorrate \(settings.maximumErrorRate); the load stopped "
          + "after \(loaded) of \(configuration.workload.insertCount) records")
    } else if loaded < UInt64(configuration.workload.insertCount) && load.interruptedBy == nil {
      output.status.write(
        "fasterbench: warning: maxexecutiontime stopped the load after \(loaded) of "
          + "\(configuration.workload.insertCount) records; the store holds only those")
    }
    var phases: [PhaseResult] = [load]
    if command == .run && load.interruptedBy == nil && !load.stoppedForErrors {
      output.status.write("Starting test.")
      phases.append(try runner.runPhase(.run, checkpointing: true))
    }

    let percentiles = settings.reportedPercentiles
    // The plain text report goes to stdout with its comment lines; another exporter's output (or
    // an export file) holds the last phase only, and the comments go to stderr.
    let exporting = settings.exporter != .text || settings.exportFile != nil
    let status = output.status
    let report = output.report
    let comment: @Sendable (String) -> Void = { line in exporting ? status.write(line) : report(line) }
    var exported: [String] = []
    let interruption = phases.lazy.compactMap(\.interruptedBy).first.map(RunInterruption.name(of:))
    if let interruption {
      // A comment line, which YCSB parsers skip: the figures below cover only what ran.
      comment("# interrupted by \(interruption): the figures below cover only the operations that ran")
    }
    for phase in phases {
      let isLoadOfRun = command == .run && phase.phase == .load
      if isLoadOfRun {
        comment("# load phase (comment lines: YCSB parsers read only the run phase below)")
      }
      let lines = TextReport.lines(
        for: phase, percentiles: percentiles, measurementInterval: settings.measurementInterval,
        prefix: isLoadOfRun ? "# " : "")
      if exporting && !isLoadOfRun {
        exported = lines
      } else {
        lines.forEach(comment)
      }
      if let line = CheckpointSummary.line(phase.checkpoints, phase: phase.phase.rawValue) {
        comment(line)
      }
      if let cost = PhaseRecord(phase).orderedIndex {
        output.status.write(
          "fasterbench: \(phase.phase.rawValue) ordered index: \(cost.insertCount) inserts, "
            + "\(LatencyFormat.twoDecimals(cost.insertNanosecondsMean)) ns mean; \(cost.lookupCount) scan look-ups, "
            + "\(LatencyFormat.twoDecimals(cost.lookupNanosecondsMean)) ns mean")
      }
    }
    if exporting {
      let rendered = settings.exporter.render(exported)
      if let path = settings.exportFile {
        do {
          try AtomicFileWriter.write(rendered, to: path)
        } catch {
          throw BindingError("exportfile: \(error.description)")
        }
        output.status.write("fasterbench: report written to \(path) (\(settings.exporter.rawValue))")
      } else {
        rendered.split(separator: "\n", omittingEmptySubsequences: false).dropLast().forEach {
          output.report(String($0))
        }
      }
    }
    if let prefix = settings.histogramLogPrefix, let log = phases.last?.histogramLog {
      for name in log.names {
        let path = prefix + name + ".hdr"
        do {
          try AtomicFileWriter.write(log.text(for: name), to: path)
        } catch {
          throw BindingError("hdrhistogram.fileoutput: \(error.description)")
        }
        output.status.write("fasterbench: interval histograms written to \(path)")
      }
    }
    if let metricsFile = output.metricsFile {
      output.status.write("fasterbench: metrics written to \(metricsFile.path) (Prometheus text format)")
    }
    let storeStatistics = binding.statistics()
    if case .string(let deviceError)? = storeStatistics?["lastDeviceError"] {
      // ERROR returns after a device failure (disk full, `ulimit -f`, no file descriptors left):
      // say what failed rather than leave only the counts.
      output.status.write("fasterbench: error: the store's device failed: \(deviceError)")
      warnings.append("device error: \(deviceError)")
    }
    let phaseRecords = phases.map(PhaseRecord.init)
    let errors = RunErrorSummary.summarize(
      phases: phaseRecords, firstError: binding.firstErrorDescription(),
      allowedErrorRate: settings.maximumErrorRate, stoppedEarly: load.stoppedForErrors)
    var properties: [String: String] = [:]
    for name in configuration.properties.names { properties[name] = configuration.properties[name] }
    var record = RunRecord(
      command: command.rawValue, binding: binding.name, recordMode: configuration.knobs.record.rawValue,
      seed: settings.seed, seedWasGiven: settings.seedWasGiven, threads: settings.threadCount,
      targetOperationsPerSecond: settings.targetOperationsPerSecond, warmupSeconds: settings.warmupSeconds,
      maxExecutionTimeSeconds: settings.maxExecutionTimeSeconds,
      statusIntervalSeconds: settings.statusIntervalSeconds,
      measurementInterval: settings.measurementInterval.rawValue, machine: MachineInfo.current(),
      build: build, properties: properties, knobs: KnobsRecord(configuration.knobs),
      harnessOverhead: overhead, phases: phaseRecords, storeStatistics: storeStatistics,
      warnings: warnings + runner.runtimeWarnings, errors: errors)
    record.interrupted = interruption
    if let failure = phases.lazy.compactMap(\.checkpointFailure).first {
      // Loud: the figures were measured, but not under the checkpoints asked for.
      output.status.write("fasterbench: error: \(failure)")
      record.checkpointFailure = failure
    }
    return record
  }
}
