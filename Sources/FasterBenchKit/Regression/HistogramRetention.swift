import Foundation
import Histogram

/// Which runs of a repeated results file keep their whole latency histograms.
///
/// A histogram is about 100 kB of JSON (its counts array is dense), so a smoke run of ten
/// workloads repeated five times would write tens of megabytes. The summary figures (p50 ...
/// p99.99) of every run are always kept; only the `histogram` member is emptied. An emptied
/// histogram has `totalCount` 0 while its record's `count` is not: readers (the report) then
/// draw the percentile curve from the summary figures.
public enum HistogramRetention: String, Sendable, CaseIterable {
  /// Every run keeps its histograms.
  case all
  /// The first repetition of each workload keeps them (the default of `suite` and `sweep`).
  case first
  /// No run keeps them (baselines).
  case none

  /// Applies the policy to `runs`.
  public func apply(to runs: [RunRecord]) -> [RunRecord] {
    guard self != .all else { return runs }
    var seen: Set<String> = []
    return runs.map { run in
      let key = "\(run.workload ?? "")|\(run.binding)|\(run.command)"
      let keeps = self == .first && !seen.contains(key)
      seen.insert(key)
      return keeps ? run : Self.strippingHistograms(run)
    }
  }

  /// Whether `latency`'s histogram was emptied by a retention policy.
  public static func isStripped(_ latency: LatencyRecord) -> Bool {
    latency.histogram.totalCount == 0 && latency.count > 0
  }

  static func strippingHistograms(_ run: RunRecord) -> RunRecord {
    var run = run
    for phaseIndex in run.phases.indices {
      for operationIndex in run.phases[phaseIndex].operationTypes.indices {
        run.phases[phaseIndex].operationTypes[operationIndex].latency?.histogram = emptyHistogram
        run.phases[phaseIndex].operationTypes[operationIndex].intendedLatency?.histogram = emptyHistogram
      }
    }
    return run
  }

  /// The smallest histogram the library builds (values 1 ... 2, a few buckets).
  static let emptyHistogram = Histogram<UInt64>(
    lowestDiscernibleValue: 1, highestTrackableValue: 2, numberOfSignificantValueDigits: .one)
}
