import FasterStorage

/// A snapshot of a store's log markers, memory and index shape.
public struct FasterKVStatistics: Codable, Sendable, Equatable {
  public var beginAddress: UInt64
  public var headAddress: UInt64
  public var safeReadOnlyAddress: UInt64
  public var readOnlyAddress: UInt64
  /// Everything below is on the device.
  public var flushedUntilAddress: UInt64
  public var tailAddress: UInt64
  public var logMemoryBytes: Int
  public var pageSizeBytes: Int
  public var indexSizeBytes: Int
  public var indexBucketCount: Int
  /// Overflow buckets handed out (including the few lost to races).
  public var overflowBucketCount: Int
  public var overflowBucketBytes: Int
  /// Bytes of the log and index memory that the kernel backs with huge pages now.
  public var hugePageBytes: Int
  public var currentEpoch: UInt64
  /// The disk tier's device ("none", "uring", "file", ...).
  public var device: String
  /// Its I/O counters.
  public var deviceStatistics: DeviceStatistics?
  /// Records read back from the device that failed validation (sizes or lengths that
  /// cannot be right); each failed its operation with `.deviceError`.
  public var corruptRecordsRead: UInt64 = 0
  /// Compaction totals (manual and automatic).
  public var compaction = CompactionStatistics()
  /// The read cache's counters; nil when it is disabled.
  public var readCache: ReadCacheStatistics? = nil

  // MARK: Observability: operations, pending I/O, checkpoints, recovery
  /// Operations by kind and status (summed over the sessions, live and ended).
  public var operations = OperationStatistics()
  /// Device-part latency of pending operations (issue of the read to its outcome).
  public var pendingLatency = LatencySummary()
  /// Checkpoint totals.
  public var checkpoint = CheckpointStatistics()
  /// What recovery did (nil for a store opened empty).
  public var recovery: RecoveryStatistics?
  /// Pending operations not completed yet.
  public var pendingOutstanding: UInt64 { operations.pendingOutstanding }
  /// Bytes of log on the device: from the begin to what is flushed (what compaction
  /// bounds).
  public var deviceLogBytes: UInt64 { flushedUntilAddress - Swift.min(beginAddress, flushedUntilAddress) }

  /// Bytes of log written (tail minus begin).
  public var logBytesUsed: UInt64 { tailAddress - beginAddress }
}
