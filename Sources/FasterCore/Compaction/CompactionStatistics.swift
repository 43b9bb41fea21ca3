/// Compaction totals since the store opened, in `FasterKVStatistics`.
public struct CompactionStatistics: Sendable, Equatable, Codable {
  /// Compactions that moved the begin (manual and automatic).
  public var compactions: UInt64 = 0
  /// Of those, started by the automatic policy.
  public var automaticCompactions: UInt64 = 0
  public var recordsCopied: UInt64 = 0
  public var bytesCopied: UInt64 = 0
  public var bytesReclaimed: UInt64 = 0
  public var recordsSuperseded: UInt64 = 0
  public var tombstonesDropped: UInt64 = 0
  public var copyRaces: UInt64 = 0
  /// Wall time spent compacting.
  public var seconds: Double = 0
  /// The live share the automatic policy's last sample found (nil before any sample).
  public var lastSampledLiveFraction: Double?
  /// The last failure of automatic compaction, if any (it retries on its next check).
  public var lastError: String?
  /// Times checkpoint retention could not delete the log segments compaction left to it
  /// (`lastError` then says which); the device keeps that log until a later retention.
  public var segmentReleaseFailures: UInt64 = 0

  public init() {}

  mutating func add(_ report: CompactionReport, automatic: Bool) {
    compactions += 1
    if automatic { automaticCompactions += 1 }
    recordsCopied += report.recordsCopied
    bytesCopied += report.bytesCopied
    bytesReclaimed += report.bytesReclaimed
    recordsSuperseded += report.recordsSuperseded
    tombstonesDropped += report.tombstonesDropped
    copyRaces += report.copyRaces
    seconds += report.seconds
  }
}
