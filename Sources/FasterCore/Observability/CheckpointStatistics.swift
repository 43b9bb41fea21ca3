/// Checkpoint totals since the store opened, in `FasterKVStatistics.checkpoint`.
public struct CheckpointStatistics: Sendable, Equatable, Codable {
  /// Checkpoints that completed (their metadata is durable).
  public var checkpoints: UInt64 = 0
  /// Checkpoints that threw (`lastError` says the latest reason).
  public var failures: UInt64 = 0
  /// Bytes the completed checkpoints wrote (index, snapshot, flushed log, metadata).
  public var bytesWritten: UInt64 = 0
  /// Wall time of the completed checkpoints, summed, and of the last one.
  public var totalDurationNanoseconds: UInt64 = 0
  public var lastDurationNanoseconds: UInt64 = 0
  /// The last failure, as its message (nil if none failed).
  public var lastError: String?

  public init() {}
}
