import FasterCore

/// One background checkpoint of a phase (`faster.checkpoint.interval`), in the results file.
public struct CheckpointRecord: Codable, Sendable, Equatable {
  /// 1-based, in the order the checkpoints were taken.
  public var number: Int
  /// When the checkpoint was requested, seconds after the phase's measurement started (the
  /// clock of the `intervals`' `endSeconds`; negative during warm-up).
  public var startSeconds: Double
  /// The engine's duration, request to durable metadata.
  public var durationSeconds: Double
  /// Checkpoint files plus the log flushed for the checkpoint.
  public var bytesWritten: UInt64
  /// `foldover`, `snapshot` or `incremental`: the kind taken (an incremental request with no
  /// base snapshot takes a full `snapshot`).
  public var kind: String
  /// Whether it also checkpointed the index (a full checkpoint).
  public var includesIndex: Bool
  public var token: String
  /// The version the checkpoint captured.
  public var version: UInt64

  public init(number: Int, startSeconds: Double, info: CheckpointInfo, includesIndex: Bool) {
    self.number = number
    self.startSeconds = startSeconds
    durationSeconds = Double(info.durationNanoseconds) / 1e9
    bytesWritten = info.bytesWritten
    kind = info.kind.rawValue
    self.includesIndex = includesIndex
    token = info.token.description
    version = info.version
  }
}
