import Foundation

/// Runs workloads repeatedly in one process, interleaved: every workload once, then every
/// workload again, and so on, so slow drift of a shared machine spreads over all workloads
/// instead of landing on one. Each record gets its workload label and repetition index.
public enum RepeatedRuns {
  /// One workload of a suite or sweep: its label and configuration (a key-value workload)
  /// or its log benchmark (a `workload=fasterlog` file).
  public struct Entry: Sendable {
    public var label: String
    /// Nil for a log workload.
    public var configuration: BenchmarkConfiguration?
    /// The entry's own binding (the calibration workload runs on `dictionary`); nil: the run's.
    public var binding: BindingKind? = nil
    /// Set for a log workload: it runs ``LogBenchmark`` (with its raw writer) instead.
    public var log: LogBenchmark? = nil

    public init(label: String, configuration: BenchmarkConfiguration, binding: BindingKind? = nil) {
      self.label = label
      self.configuration = configuration
      self.binding = binding
    }

    public init(label: String, log: LogBenchmark) {
      self.label = label
      self.log = log
    }
  }

  /// Runs `repetitions` rounds over `entries` with `binding`. The YCSB text report goes to
  /// `output.report` (pass a sink that drops it for quiet runs); a progress line per run goes to
  /// `output.status`.
  ///
  /// - Throws: ``BindingError`` from the first run that fails.
  public static func run(
    _ entries: [Entry], binding: BindingKind, command: PhaseKind = .run, repetitions: Int,
    output: Benchmark.Output
  ) throws(BindingError) -> [RunRecord] {
    precondition(repetitions >= 1, "repetitions must be >= 1")
    var records: [RunRecord] = []
    for repetition in 0..<repetitions {
      for entry in entries {
        output.status.write(
          "fasterbench: repetition \(repetition + 1)/\(repetitions), workload \(entry.label)")
        var record: RunRecord
        if let log = entry.log {
          do {
            // Alternated: odd repetitions measure the raw device first.
            let result = try log.run(rawFirst: repetition % 2 == 1)
            record = log.record(result)
          } catch {
            throw BindingError("log workload \(entry.label): \(error)")
          }
        } else {
          record = try BindingCatalog.execute(
            entry.binding ?? binding, command: command, configuration: entry.configuration!, output: output)
        }
        record.workload = entry.label
        record.repetition = repetition
        records.append(record)
        if record.interrupted != nil { return records }  // a signal stops the whole series
      }
    }
    return records
  }

  /// The label of a workload given as files: their base names joined by `+`.
  public static func label(workloadFiles: [String], configFile: String? = nil) -> String {
    let names = workloadFiles.map { URL(fileURLWithPath: $0).lastPathComponent }
    if names.isEmpty, let configFile {
      return URL(fileURLWithPath: configFile).deletingPathExtension().lastPathComponent
    }
    return names.joined(separator: "+")
  }

  /// An output whose report lines are dropped and whose status lines keep only this type's
  /// progress, warnings and errors (quiet suites and sweeps).
  public static func quietOutput(status: StatusSink = .standardError) -> Benchmark.Output {
    Benchmark.Output(
      report: { _ in },
      status: StatusSink { line in
        if line.hasPrefix("fasterbench: repetition") || line.contains("warning") || line.contains("error") {
          status.write(line)
        }
      })
  }
}
