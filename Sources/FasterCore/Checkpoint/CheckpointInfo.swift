/// A durable checkpoint: what it captured and what recovery needs. Stored as the
/// checkpoint's metadata file (`<token>.meta`, see `docs/checkpoint-format.md`).
public struct CheckpointInfo: Sendable, Equatable, Codable {
  public var token: CheckpointToken
  public var kind: CheckpointKind
  /// The version v the checkpoint captures: every record of version <= v below
  /// `finalAddress` (records of later versions there are invalidated on recovery).
  public var version: UInt64
  /// The index checkpoint recovery loads (this checkpoint's own token for a full
  /// checkpoint); nil: recovery rebuilds the index from `beginAddress`.
  public var indexToken: CheckpointToken?
  /// Every session's commit point, by session name.
  public var commitPoints: [String: SessionCommitPoint]
  /// Bytes this checkpoint wrote: checkpoint files plus the log flushed for it.
  public var bytesWritten: UInt64
  /// Wall-clock start, nanoseconds since 1970.
  public var startedAtNanoseconds: UInt64
  public var durationNanoseconds: UInt64
  /// The log's begin address when the checkpoint was taken.
  public var beginAddress: UInt64
  /// The version boundary: the log's tail once every session was in version v + 1.
  public var finalAddress: UInt64
  /// Where the log replay into the index checkpoint starts (the tail when the index copy
  /// began); `beginAddress` when there is no index checkpoint.
  public var indexStartAddress: UInt64
  /// Snapshot and incremental: the log below this is on the device (made durable); the
  /// snapshot file (or, for an incremental one, its delta chain) holds
  /// [snapshotStartAddress, finalAddress). Equal to `finalAddress` for fold-over.
  public var snapshotStartAddress: UInt64
  /// The store's page size (must match on recovery).
  public var pageSizeBytes: UInt64
  /// The record layout's type name (must match on recovery).
  public var layoutName: String
  /// Incremental snapshot only: the checkpoint (snapshot or incremental) this one's delta
  /// applies on top of; following it back reaches the full snapshot the chain starts from.
  public var previousToken: CheckpointToken?

  public init(
    token: CheckpointToken, kind: CheckpointKind, version: UInt64, indexToken: CheckpointToken?,
    commitPoints: [String: SessionCommitPoint], bytesWritten: UInt64, startedAtNanoseconds: UInt64,
    durationNanoseconds: UInt64, beginAddress: UInt64, finalAddress: UInt64, indexStartAddress: UInt64,
    snapshotStartAddress: UInt64, pageSizeBytes: UInt64, layoutName: String,
    previousToken: CheckpointToken? = nil
  ) {
    self.token = token
    self.kind = kind
    self.version = version
    self.indexToken = indexToken
    self.commitPoints = commitPoints
    self.bytesWritten = bytesWritten
    self.startedAtNanoseconds = startedAtNanoseconds
    self.durationNanoseconds = durationNanoseconds
    self.beginAddress = beginAddress
    self.finalAddress = finalAddress
    self.indexStartAddress = indexStartAddress
    self.snapshotStartAddress = snapshotStartAddress
    self.pageSizeBytes = pageSizeBytes
    self.layoutName = layoutName
    self.previousToken = previousToken
  }
}
