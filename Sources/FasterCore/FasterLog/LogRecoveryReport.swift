/// What opening a FasterLog found: the commit it recovered, and anything it had to skip
/// or cut. Also sent, as sentences, to `FasterLogSettings.logger`.
///
/// Thread safety: a value type.
public struct LogRecoveryReport: Sendable, Equatable {
  /// The sequence of the commit record recovered; nil for a new, empty log.
  public var commitSequence: UInt64?
  /// The log's begin after recovery.
  public var begin: Address
  /// The committed tail the commit record names.
  public var recordedCommittedUntil: Address
  /// The committed tail after recovery: the recorded one, or where a torn or corrupt
  /// entry cut the log.
  public var committedUntil: Address
  /// Commit records skipped because they were corrupt or unreadable, each with the reason.
  public var skippedCommitRecords: [String]
  /// Why the log was cut below the recorded committed tail, if it was.
  public var cutReason: String?

  /// True when every byte the newest commit record promised was recovered.
  public var isClean: Bool { skippedCommitRecords.isEmpty && cutReason == nil }
}
