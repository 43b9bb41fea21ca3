import CoreMetrics
import FasterPlatform

/// The part of `FasterKVMetrics` about what the store did: operations by kind and status,
/// pending operations and their device latency, checkpoints, recovery and compaction.
/// Fed from `FasterKVStatistics` like the rest (counters advance by the increase since the
/// previous report); the operations never touch a metric.
///
/// Thread safety: `record` may be called from any thread; calls are serialized.
final class FasterKVActivityMetrics: Sendable {
  private let prefix: String
  private let dimensions: [(String, String)]
  private let factory: any MetricsFactory
  private let state = ControlLock(State())

  private let pendingIssued: Counter
  private let pendingOutstanding: Gauge
  private let pendingLatency: [(quantile: Double, gauge: Gauge)]
  private let pendingLatencyMean: Gauge
  private let checkpoints: Counter
  private let checkpointFailures: Counter
  private let checkpointBytes: Counter
  private let checkpointDuration: Timer
  private let checkpointLastDuration: Gauge
  private let compactionsManual: Counter
  private let compactionsAutomatic: Counter
  private let compactionReclaimedBytes: Counter
  private let compactionCopiedBytes: Counter
  private let compactionCopiedRecords: Counter
  private let compactionDuration: Timer
  private let compactionSegmentReleaseFailures: Counter
  private let compactionFailed: Gauge
  private let recoveryDuration: Gauge
  private let recoveryReadBytes: Gauge
  private let recoveryRecordsReplayed: Gauge
  private let recoveryCheckpointsSkipped: Gauge

  /// What the previous report saw, and the per-(kind, status) counters made so far (made
  /// on first use: a status never returned adds no series).
  private struct State {
    var operations = OperationStatistics()
    var checkpoint = CheckpointStatistics()
    var compaction = CompactionStatistics()
    var operationCounters: [Int: Counter] = [:]
    var completedCounters: [Int: Counter] = [:]
  }

  init(prefix: String, dimensions: [(String, String)], factory: any MetricsFactory) {
    self.prefix = prefix
    self.dimensions = dimensions
    self.factory = factory
    func name(_ suffix: String) -> String { "\(prefix)_\(suffix)" }
    func counter(_ suffix: String, _ extra: [(String, String)] = []) -> Counter {
      Counter(label: name(suffix), dimensions: dimensions + extra, factory: factory)
    }
    func gauge(_ suffix: String, _ extra: [(String, String)] = []) -> Gauge {
      Gauge(label: name(suffix), dimensions: dimensions + extra, factory: factory)
    }
    func timer(_ suffix: String) -> Timer {
      Timer(label: name(suffix), dimensions: dimensions, preferredDisplayUnit: .seconds, factory: factory)
    }
    pendingIssued = counter("pending_operations_issued_total")
    pendingOutstanding = gauge("pending_operations_outstanding")
    pendingLatency = [0.5, 0.99, 1].map { ($0, gauge("pending_io_latency_seconds", [("quantile", "\($0)")])) }
    pendingLatencyMean = gauge("pending_io_latency_mean_seconds")
    checkpoints = counter("checkpoints_total")
    checkpointFailures = counter("checkpoint_failures_total")
    checkpointBytes = counter("checkpoint_written_bytes_total")
    checkpointDuration = timer("checkpoint_duration_seconds")
    checkpointLastDuration = gauge("checkpoint_last_duration_seconds")
    compactionsManual = counter("compactions_total", [("trigger", "manual")])
    compactionsAutomatic = counter("compactions_total", [("trigger", "automatic")])
    compactionReclaimedBytes = counter("compaction_reclaimed_bytes_total")
    compactionCopiedBytes = counter("compaction_copied_bytes_total")
    compactionCopiedRecords = counter("compaction_copied_records_total")
    compactionDuration = timer("compaction_duration_seconds")
    compactionSegmentReleaseFailures = counter("compaction_segment_release_failures_total")
    compactionFailed = gauge("compaction_failed")
    recoveryDuration = gauge("recovery_duration_seconds")
    recoveryReadBytes = gauge("recovery_read_bytes")
    recoveryRecordsReplayed = gauge("recovery_records_replayed")
    recoveryCheckpointsSkipped = gauge("recovery_checkpoints_skipped")
  }

  func record(_ statistics: FasterKVStatistics) {
    state.withLock { last in
      recordOperations(statistics.operations, last: &last)
      recordPending(statistics)
      recordCheckpoints(statistics.checkpoint, last: last.checkpoint)
      last.checkpoint = statistics.checkpoint
      recordCompaction(statistics.compaction, last: last.compaction)
      last.compaction = statistics.compaction
      if let recovery = statistics.recovery {
        recoveryDuration.record(Double(recovery.durationNanoseconds) / 1e9)
        recoveryReadBytes.record(Int64(recovery.bytesRead))
        recoveryRecordsReplayed.record(Int64(recovery.recordsReplayed))
        recoveryCheckpointsSkipped.record(Int64(recovery.checkpointsSkipped))
      }
    }
  }

  private func recordOperations(_ now: OperationStatistics, last: inout State) {
    for kind in OperationKind.allCases {
      for status in OperationStatistics.allStatuses {
        let slot = SessionOperationCounters.slot(kind, status)
        let issued = now.issued(kind, status)
        let issuedBefore = last.operations.issued(kind, status)
        if issued > issuedBefore {
          let counter =
            last.operationCounters[slot]
            ?? Counter(
              label: "\(prefix)_operations_total",
              dimensions: dimensions + [("kind", "\(kind)"), ("status", Self.label(status))], factory: factory
            )
          last.operationCounters[slot] = counter
          counter.increment(by: Int64(issued - issuedBefore))
        }
        let completed = now.completed(kind, status)
        let completedBefore = last.operations.completed(kind, status)
        if completed > completedBefore {
          let counter =
            last.completedCounters[slot]
            ?? Counter(
              label: "\(prefix)_pending_operations_completed_total",
              dimensions: dimensions + [("kind", "\(kind)"), ("status", Self.label(status))], factory: factory
            )
          last.completedCounters[slot] = counter
          counter.increment(by: Int64(completed - completedBefore))
        }
      }
    }
    if now.pendingIssued > last.operations.pendingIssued {
      pendingIssued.increment(by: Int64(now.pendingIssued - last.operations.pendingIssued))
    }
    last.operations = now
  }

  private func recordPending(_ statistics: FasterKVStatistics) {
    pendingOutstanding.record(Int64(statistics.pendingOutstanding))
    let latency = statistics.pendingLatency
    for (quantile, gauge) in pendingLatency {
      gauge.record(Double(latency.nanoseconds(atQuantile: quantile)) / 1e9)
    }
    pendingLatencyMean.record(latency.meanNanoseconds / 1e9)
  }

  private func recordCheckpoints(_ now: CheckpointStatistics, last: CheckpointStatistics) {
    if now.checkpoints > last.checkpoints {
      let new = now.checkpoints - last.checkpoints
      checkpoints.increment(by: Int64(new))
      checkpointBytes.increment(by: Int64(now.bytesWritten - last.bytesWritten))
      // Several checkpoints between two reports are recorded at their mean duration.
      let mean = (now.totalDurationNanoseconds - last.totalDurationNanoseconds) / new
      for _ in 0..<min(new, 64) { checkpointDuration.recordNanoseconds(Int64(mean)) }
      checkpointLastDuration.record(Double(now.lastDurationNanoseconds) / 1e9)
    }
    if now.failures > last.failures { checkpointFailures.increment(by: Int64(now.failures - last.failures)) }
  }

  private func recordCompaction(_ now: CompactionStatistics, last: CompactionStatistics) {
    func advance(_ counter: Counter, _ old: UInt64, _ new: UInt64) {
      if new > old { counter.increment(by: Int64(new - old)) }
    }
    let manualNow = now.compactions - now.automaticCompactions
    let manualBefore = last.compactions - last.automaticCompactions
    advance(compactionsManual, manualBefore, manualNow)
    advance(compactionsAutomatic, last.automaticCompactions, now.automaticCompactions)
    advance(compactionReclaimedBytes, last.bytesReclaimed, now.bytesReclaimed)
    advance(compactionCopiedBytes, last.bytesCopied, now.bytesCopied)
    advance(compactionCopiedRecords, last.recordsCopied, now.recordsCopied)
    advance(compactionSegmentReleaseFailures, last.segmentReleaseFailures, now.segmentReleaseFailures)
    if now.compactions > last.compactions {
      let new = now.compactions - last.compactions
      // Several compactions between two reports are recorded at their mean duration.
      let mean = (now.seconds - last.seconds) / Double(new)
      for _ in 0..<min(new, 64) { compactionDuration.recordNanoseconds(Int64(mean * 1e9)) }
    }
    compactionFailed.record(now.lastError == nil ? 0 : 1)
  }

  /// The metric label of a status: `ok`, `not_found`, `pending`, `out_of_memory`, ….
  static func label(_ status: OperationStatus) -> String {
    switch status {
    case .ok: return "ok"
    case .notFound: return "not_found"
    case .pending: return "pending"
    case .outOfMemory: return "out_of_memory"
    case .recordTooLarge: return "record_too_large"
    case .bufferTooSmall: return "buffer_too_small"
    case .deviceError: return "device_error"
    case .outOfAddressSpace: return "out_of_address_space"
    }
  }
}
