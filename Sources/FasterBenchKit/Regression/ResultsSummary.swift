import Foundation

/// A results file summarised for people: provenance, then per workload the median and noise of
/// each gated figure over its repetitions (`baseline show`, `suite`).
public enum ResultsSummary {
  public static func lines(_ file: ResultsFile) -> [String] {
    let first = file.runs[0]
    var lines = [
      "created     \(file.createdAt)",
      "machine     \(first.machine.profileName) (\(first.machine.cpuModel), host \(first.machine.hostname), "
        + "kernel \(first.machine.kernel))",
      "build       \(first.build.configuration), Swift \(first.build.swiftVersion), commit \(first.build.gitCommit ?? "unknown")",
      "runs        \(file.runs.count)",
      "",
    ]
    var rows: [[String]] = []
    for series in WorkloadSeries.group(file) {
      var keys: [(String, GateMetric)] = [("ALL", .throughput)]
      for operation in series.operationNames {
        keys += [(operation, .p50), (operation, .p99), (operation, .p99_9)]
      }
      keys.append(("ALL", .harness))
      for (operation, metric) in keys {
        let samples = series.samples(metric, operation: operation)
        guard !samples.isEmpty else { continue }
        rows.append([
          series.displayName, operation, metric.displayName,
          GateFormat.value(SampleStatistics.median(samples), metric), metric.unit,
          GateFormat.noise(SampleStatistics.noiseFraction(samples)), String(samples.count),
        ])
      }
    }
    lines += GateFormat.table(
      header: ["workload", "op", "metric", "median", "unit", "noise", "n"], rows: rows,
      rightAligned: [3, 5, 6])
    return lines
  }
}
