/// What `FasterKV.checkpoint(_:)` should write.
public struct CheckpointRequest: Sendable, Equatable {
  /// How the log part is made durable (default: fold-over).
  public var kind: CheckpointKind
  /// Whether to also write an index checkpoint (a full checkpoint). Without it the
  /// checkpoint reuses the newest index checkpoint in the directory (recovery then replays
  /// the log from that index checkpoint's start), or, with none, replays the whole log.
  public var includeIndex: Bool

  public init(kind: CheckpointKind = .foldOver, includeIndex: Bool = true) {
    self.kind = kind
    self.includeIndex = includeIndex
  }
}
