import Foundation

/// The repetitions of one workload in a results file: runs with the same label, binding and
/// command, in the file's order (which is the order they ran in).
public struct WorkloadSeries: Sendable {
  /// The workload's label: the run's `workload` field (the workload file's name, set by `suite`,
  /// `sweep` and `run --repeat`), else `properties-<hash>` of its properties.
  public let label: String
  public let binding: String
  public let command: String
  public var runs: [RunRecord]

  /// The key the two sides of a comparison are matched on.
  public var key: String { "\(label)|\(binding)|\(command)" }

  /// The label as tables show it: the binding and command appear when they are not the usual
  /// `faster` and `run`.
  public var displayName: String {
    var name = label
    if binding != "faster" { name += " [\(binding)]" }
    if command != "run" { name += " (\(command))" }
    return name
  }

  /// The runs of `file` grouped into series, in order of first appearance.
  public static func group(_ file: ResultsFile) -> [WorkloadSeries] {
    var order: [String] = []
    var series: [String: WorkloadSeries] = [:]
    for run in file.runs {
      let label = run.workload ?? "properties-\(propertiesFingerprint(run))"
      let item = WorkloadSeries(label: label, binding: run.binding, command: run.command, runs: [run])
      if series[item.key] == nil {
        order.append(item.key)
        series[item.key] = item
      } else {
        series[item.key]!.runs.append(run)
      }
    }
    return order.map { series[$0]! }
  }

  /// The phase the gate measures: the run phase of `run`, the load phase of `load`.
  public static func measuredPhase(_ run: RunRecord) -> PhaseRecord? {
    run.phases.last { $0.name == run.command } ?? run.phases.last
  }

  /// Operation types of the measured phase, in the order of the first run.
  public var operationNames: [String] {
    var names: [String] = []
    for run in runs {
      for operation in Self.measuredPhase(run)?.operationTypes ?? [] where !names.contains(operation.name) {
        names.append(operation.name)
      }
    }
    return names
  }

  /// One value per repetition of `metric` (for latencies, of `operation`'s latency); runs that
  /// lack the figure are skipped.
  public func samples(_ metric: GateMetric, operation: String? = nil) -> [Double] {
    runs.compactMap { run -> Double? in
      switch metric {
      // A log run has no per-operation harness (its producers time nothing per entry).
      case .harness: return run.isLogRun ? nil : run.harnessOverhead.nanosecondsPerOperation
      case .throughput: return Self.measuredPhase(run)?.throughputOperationsPerSecond
      case .p50, .p99, .p99_9:
        guard
          let record = Self.measuredPhase(run)?.operationTypes.first(where: { $0.name == operation }),
          let latency = record.latency ?? record.intendedLatency
        else { return nil }
        switch metric {
        case .p50: return latency.nanoseconds.p50
        case .p99: return latency.nanoseconds.p99
        default: return latency.nanoseconds.p99_9
        }
      }
    }
  }

  /// Properties that identify the workload: all but the seed (which may differ between
  /// repetitions) and the status interval (which only changes the time series' resolution).
  /// The injected slowdown is ignored too: measuring whether the gate catches it needs the
  /// slowed candidate compared with the plain baseline.
  public static let ignoredPropertyNames: Set<String> = [
    "seed", "status.interval", "slowdown.spinnanoseconds",
  ]

  /// A short stable hash of a run's identifying properties.
  static func propertiesFingerprint(_ run: RunRecord) -> String {
    let text = run.properties.filter { !ignoredPropertyNames.contains($0.key) }
      .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
      hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211
    }
    return String(String(hash, radix: 16).prefix(8))
  }
}
