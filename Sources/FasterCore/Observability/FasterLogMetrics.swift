import CoreMetrics
import FasterPlatform
import FasterStorage

/// Reports a FasterLog's statistics through swift-metrics: its addresses, bytes, commits,
/// commit latency and device counters. Like `FasterKVMetrics`, fed only when the program
/// calls `FasterLog.reportMetrics(to:)`; names start with `prefix` (default `fasterlog`,
/// so a process with a store and a log has no clash) and take `dimensions`. The list is in
/// the README ("Observability").
///
/// Thread safety: `record` may be called from any thread; calls are serialized.
public final class FasterLogMetrics: Sendable {
  static let markers = ["begin", "head", "committed", "flushed_until", "tail"]

  private let prefix: String
  private let dimensions: [(String, String)]
  private let factory: any MetricsFactory
  private let markerGauges: [Gauge]
  private let logBytes: Gauge
  private let uncommittedBytes: Gauge
  private let commits: Counter
  private let commitFailures: Counter
  private let committedBytes: Counter
  private let commitLatency: [(quantile: Double, gauge: Gauge)]
  private let commitLatencyMean: Gauge
  private let failed: Gauge
  private struct Last {
    var statistics: FasterLogStatistics?
    var device: DeviceCounterSet?
  }
  private let last = ControlLock(Last())

  /// - Parameters:
  ///   - prefix: the first part of every name: `fasterlog` gives `fasterlog_commits_total`.
  ///   - dimensions: added to every metric (e.g. `[("log", "events")]`).
  ///   - factory: the metrics backend; the one bootstrapped in `MetricsSystem` by default.
  public init(
    prefix: String = "fasterlog", dimensions: [(String, String)] = [],
    factory: any MetricsFactory = MetricsSystem.factory
  ) {
    self.prefix = prefix
    self.dimensions = dimensions
    self.factory = factory
    func gauge(_ name: String, _ extra: [(String, String)] = []) -> Gauge {
      Gauge(label: "\(prefix)_\(name)", dimensions: dimensions + extra, factory: factory)
    }
    func counter(_ name: String) -> Counter {
      Counter(label: "\(prefix)_\(name)", dimensions: dimensions, factory: factory)
    }
    markerGauges = Self.markers.map { gauge("address_bytes", [("marker", $0)]) }
    logBytes = gauge("bytes")
    uncommittedBytes = gauge("uncommitted_bytes")
    commits = counter("commits_total")
    commitFailures = counter("commit_failures_total")
    committedBytes = counter("committed_bytes_total")
    commitLatency = [0.5, 0.99, 1].map { ($0, gauge("commit_latency_seconds", [("quantile", "\($0)")])) }
    commitLatencyMean = gauge("commit_latency_mean_seconds")
    failed = gauge("failed")
  }

  /// Updates every metric from `statistics`.
  public func record(_ statistics: FasterLogStatistics) {
    let addresses = [
      statistics.beginAddress, statistics.headAddress, statistics.committedUntilAddress,
      statistics.flushedUntilAddress, statistics.tailAddress,
    ]
    for (gauge, address) in zip(markerGauges, addresses) { gauge.record(Int64(address)) }
    logBytes.record(Int64(statistics.logBytes))
    uncommittedBytes.record(Int64(statistics.uncommittedBytes))
    for (quantile, gauge) in commitLatency {
      gauge.record(Double(statistics.commitLatency.nanoseconds(atQuantile: quantile)) / 1e9)
    }
    commitLatencyMean.record(statistics.commitLatency.meanNanoseconds / 1e9)
    failed.record(statistics.commitFailures > 0 ? 1 : 0)
    last.withLock { last in
      func advance(_ counter: Counter, _ old: UInt64, _ new: UInt64) {
        if new > old { counter.increment(by: Int64(new - old)) }
      }
      // The first report counts the bytes committed since the log opened, not those
      // recovered from before.
      let previous = last.statistics
      advance(commits, previous?.commits ?? 0, statistics.commits)
      advance(commitFailures, previous?.commitFailures ?? 0, statistics.commitFailures)
      advance(
        committedBytes, previous?.committedUntilAddress ?? statistics.committedUntilAddress,
        statistics.committedUntilAddress)
      last.statistics = statistics
      if last.device == nil || last.device?.device != statistics.device {
        last.device = DeviceCounterSet(
          device: statistics.device, prefix: prefix, dimensions: dimensions, factory: factory)
      }
      last.device?.advance(to: statistics.deviceStatistics)
    }
  }
}
