/// What a recovery did: the checkpoint it used, those it skipped and why, and its cost.
public struct RecoveryReport: Sendable, Equatable {
  /// The checkpoint restored.
  public var token: CheckpointToken
  /// Newer checkpoints that were not valid, with what is wrong with each.
  public var skipped: [CheckpointProblem]
  /// Bytes read from checkpoint files and the log device.
  public var bytesRead: UInt64
  /// Log records replayed into the index (from the index checkpoint's start to the
  /// checkpoint's final address).
  public var recordsReplayed: UInt64
  /// Records of versions after the checkpoint that were invalidated.
  public var recordsInvalidated: UInt64
  /// Time from the start of recovery to a usable store.
  public var durationNanoseconds: UInt64
}
