/// What one compaction did.
public struct CompactionReport: Sendable, Equatable {
  /// The log's begin before and after.
  public var beginBefore: Address
  public var beginAfter: Address
  /// Records examined in the range (published ones).
  public var recordsScanned: UInt64 = 0
  /// Live records copied to the tail.
  public var recordsCopied: UInt64 = 0
  public var bytesCopied: UInt64 = 0
  /// Records skipped because a newer one of their key exists (before or during the run).
  public var recordsSuperseded: UInt64 = 0
  /// Tombstones dropped (their keys stay deleted: nothing older survives).
  public var tombstonesDropped: UInt64 = 0
  /// Copies abandoned because a session changed the key's chain first (then re-checked).
  public var copyRaces: UInt64 = 0
  /// Log bytes below the new begin (no longer part of the log).
  public var bytesReclaimed: UInt64 { beginAfter.rawValue - beginBefore.rawValue }
  public var seconds: Double = 0
}
