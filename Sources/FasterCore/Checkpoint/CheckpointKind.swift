/// What a checkpoint writes for the log part of its state (see `docs/checkpoint-format.md`).
public enum CheckpointKind: String, Sendable, Codable, CaseIterable {
  /// Flushes the log up to the version boundary to the log device (the log itself is the
  /// checkpoint); afterwards everything below the boundary is read-only.
  case foldOver = "foldover"
  /// Writes the in-memory part of version v to a separate file; the log's mutable region
  /// stays mutable.
  case snapshot
  /// Writes only the log pages changed since the previous snapshot or incremental
  /// checkpoint of this store (dirty pages, plus the log appended since), as a delta on
  /// top of it: a chain of one full snapshot and deltas, which recovery applies in order.
  /// Without such a predecessor (the first checkpoint, after recovery, after a fold-over
  /// or a failed checkpoint) the request takes a full `.snapshot`, and the returned
  /// `CheckpointInfo.kind` says so.
  case incrementalSnapshot = "incremental"

  /// The number stored in checkpoint headers.
  var code: UInt8 {
    switch self {
    case .foldOver: 1
    case .snapshot: 2
    case .incrementalSnapshot: 3
    }
  }

  init?(code: UInt8) {
    switch code {
    case 1: self = .foldOver
    case 2: self = .snapshot
    case 3: self = .incrementalSnapshot
    default: return nil
    }
  }
}
