/// What recovery did, in `FasterKVStatistics.recovery` (nil for a store opened empty):
/// the figures of `RecoveryReport` in a form the statistics can encode.
public struct RecoveryStatistics: Sendable, Equatable, Codable {
  public var durationNanoseconds: UInt64
  public var bytesRead: UInt64
  public var recordsReplayed: UInt64
  public var recordsInvalidated: UInt64
  /// Newer checkpoints skipped because they were not valid.
  public var checkpointsSkipped: Int

  public init(_ report: RecoveryReport) {
    durationNanoseconds = report.durationNanoseconds
    bytesRead = report.bytesRead
    recordsReplayed = report.recordsReplayed
    recordsInvalidated = report.recordsInvalidated
    checkpointsSkipped = report.skipped.count
  }
}
