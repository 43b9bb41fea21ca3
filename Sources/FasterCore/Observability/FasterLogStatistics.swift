import FasterStorage

/// A snapshot of a FasterLog's addresses, commits and device counters
/// (`FasterLog.statistics`).
public struct FasterLogStatistics: Sendable, Equatable, Codable {
  public var beginAddress: UInt64
  public var headAddress: UInt64
  public var committedUntilAddress: UInt64
  public var flushedUntilAddress: UInt64
  public var tailAddress: UInt64
  /// Commits the worker completed (a commit with nothing new to record counts too).
  public var commits: UInt64
  /// Commits that failed, and the last failure's message.
  public var commitFailures: UInt64
  public var lastCommitError: String?
  /// Latency of the successful commits (flush, sync, commit record).
  public var commitLatency: LatencySummary
  /// The device ("uring", "file", ...) and its I/O counters.
  public var device: String
  public var deviceStatistics: DeviceStatistics

  /// Bytes enqueued and not truncated (tail − begin).
  public var logBytes: UInt64 { tailAddress - Swift.min(beginAddress, tailAddress) }
  /// Bytes enqueued and not yet committed (tail − committed).
  public var uncommittedBytes: UInt64 { tailAddress - Swift.min(committedUntilAddress, tailAddress) }
}
