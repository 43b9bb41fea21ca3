import CoreMetrics
import FasterPlatform
import FasterStorage

/// Reports a store's statistics through swift-metrics: gauges for the log markers, memory
/// and index shape, counters for the device's work. The store's operations never touch a
/// metric: a program calls `FasterKV.reportMetrics(to:)` when it wants fresh values (on a
/// timer, or before its metrics endpoint is scraped), which reads `statistics` once and
/// updates every metric. With no metrics backend bootstrapped, swift-metrics' no-op handlers
/// make that a few dozen empty calls.
///
/// Every metric name starts with `prefix` (default `faster`); `dimensions` (e.g. a store
/// name) are added to each. The full list, with types and units, is in the README
/// ("Observability").
///
/// Thread safety: `record` may be called from any thread; calls are serialized (counters
/// are fed the increase since the previous call, which needs the previous values).
public final class FasterKVMetrics: Sendable {
  /// One gauge per log marker, dimension `marker`.
  static let markers = ["begin", "head", "safe_read_only", "read_only", "flushed_until", "tail"]

  private let prefix: String
  private let dimensions: [(String, String)]
  private let factory: any MetricsFactory
  private let markerGauges: [Gauge]
  private let logUsedBytes: Gauge
  private let logInMemoryBytes: Gauge
  private let logMemoryBytes: Gauge
  private let pageSizeBytes: Gauge
  private let indexSizeBytes: Gauge
  private let indexBuckets: Gauge
  private let overflowBuckets: Gauge
  private let overflowBytes: Gauge
  private let hugePageBytes: Gauge
  private let epoch: Gauge
  private let deviceFailed: Gauge
  /// The device counters, created for the device name the first report sees.
  private let deviceCounters = ControlLock<DeviceCounterSet?>(nil)
  private let corruptRecords: Counter
  private let lastCorruptRecords = ControlLock<UInt64>(0)
  /// Operations, pending I/O, checkpoints, recovery, compaction (FasterKVActivityMetrics.swift).
  private let activity: FasterKVActivityMetrics

  /// - Parameters:
  ///   - prefix: the first part of every metric name, e.g. `faster` gives `faster_log_used_bytes`.
  ///   - dimensions: added to every metric (e.g. `[("store", "sessions")]`).
  ///   - factory: the metrics backend; the one bootstrapped in `MetricsSystem` by default.
  public init(
    prefix: String = "faster", dimensions: [(String, String)] = [],
    factory: any MetricsFactory = MetricsSystem.factory
  ) {
    self.prefix = prefix
    self.dimensions = dimensions
    self.factory = factory
    func gauge(_ name: String, _ extra: [(String, String)] = []) -> Gauge {
      Gauge(label: "\(prefix)_\(name)", dimensions: dimensions + extra, factory: factory)
    }
    markerGauges = Self.markers.map { gauge("log_address_bytes", [("marker", $0)]) }
    logUsedBytes = gauge("log_used_bytes")
    logInMemoryBytes = gauge("log_in_memory_bytes")
    logMemoryBytes = gauge("log_memory_bytes")
    pageSizeBytes = gauge("log_page_size_bytes")
    indexSizeBytes = gauge("index_size_bytes")
    indexBuckets = gauge("index_buckets")
    overflowBuckets = gauge("index_overflow_buckets")
    overflowBytes = gauge("index_overflow_bytes")
    hugePageBytes = gauge("huge_page_bytes")
    epoch = gauge("epoch")
    deviceFailed = gauge("device_failed")
    corruptRecords = Counter(
      label: "\(prefix)_corrupt_records_read_total", dimensions: dimensions, factory: factory)
    activity = FasterKVActivityMetrics(prefix: prefix, dimensions: dimensions, factory: factory)
  }

  /// Updates every metric from `statistics`; `deviceFailed` says whether the store met a
  /// device error (`FasterKV.lastDeviceError != nil`).
  public func record(_ statistics: FasterKVStatistics, deviceFailed failed: Bool = false) {
    let addresses = [
      statistics.beginAddress, statistics.headAddress, statistics.safeReadOnlyAddress,
      statistics.readOnlyAddress, statistics.flushedUntilAddress, statistics.tailAddress,
    ]
    for (gauge, address) in zip(markerGauges, addresses) { gauge.record(Int64(address)) }
    logUsedBytes.record(Int64(statistics.logBytesUsed))
    logInMemoryBytes.record(
      Int64(statistics.tailAddress - min(statistics.headAddress, statistics.tailAddress)))
    logMemoryBytes.record(Int64(statistics.logMemoryBytes))
    pageSizeBytes.record(Int64(statistics.pageSizeBytes))
    indexSizeBytes.record(Int64(statistics.indexSizeBytes))
    indexBuckets.record(Int64(statistics.indexBucketCount))
    overflowBuckets.record(Int64(statistics.overflowBucketCount))
    overflowBytes.record(Int64(statistics.overflowBucketBytes))
    hugePageBytes.record(Int64(statistics.hugePageBytes))
    epoch.record(Int64(statistics.currentEpoch))
    deviceFailed.record(failed ? 1 : 0)
    lastCorruptRecords.withLock { last in
      if statistics.corruptRecordsRead > last {
        corruptRecords.increment(by: Int64(statistics.corruptRecordsRead - last))
      }
      last = max(last, statistics.corruptRecordsRead)
    }
    if let device = statistics.deviceStatistics {
      deviceCounters.withLock { set in
        if set == nil || set?.device != statistics.device {
          set = DeviceCounterSet(
            device: statistics.device, prefix: prefix, dimensions: dimensions, factory: factory)
        }
        set?.advance(to: device)
      }
    }
    activity.record(statistics)
  }
}

/// The device's counters and the values they were last advanced to (a counter only grows:
/// each report adds the increase since the previous one).
struct DeviceCounterSet {
  let device: String
  let reads: Counter
  let writes: Counter
  let bytesRead: Counter
  let bytesWritten: Counter
  let flushes: Counter
  var last = DeviceStatistics()

  init(device: String, prefix: String, dimensions: [(String, String)], factory: any MetricsFactory) {
    self.device = device
    func counter(_ name: String) -> Counter {
      Counter(
        label: "\(prefix)_device_\(name)", dimensions: dimensions + [("device", device)], factory: factory)
    }
    reads = counter("reads_total")
    writes = counter("writes_total")
    bytesRead = counter("read_bytes_total")
    bytesWritten = counter("written_bytes_total")
    flushes = counter("flushes_total")
  }

  mutating func advance(to now: DeviceStatistics) {
    func add(_ counter: Counter, _ old: UInt64, _ new: UInt64) {
      if new > old { counter.increment(by: Int64(new - old)) }
    }
    add(reads, last.reads, now.reads)
    add(writes, last.writes, now.writes)
    add(bytesRead, last.bytesRead, now.bytesRead)
    add(bytesWritten, last.bytesWritten, now.bytesWritten)
    add(flushes, last.flushes, now.flushes)
    last = now
  }
}
