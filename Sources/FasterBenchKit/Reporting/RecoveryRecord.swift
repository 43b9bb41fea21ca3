/// A recovery measurement (`fasterbench recover`) in the results file (schema 3): the
/// checkpoint taken after the load, the timed recovery, and the device's sequential read
/// speed over the same files, measured in the same run.
public struct RecoveryRecord: Codable, Sendable, Equatable {
  /// Records loaded before the checkpoint.
  public var records: UInt64
  /// The checkpoint: `foldover` or `snapshot`, always with the index.
  public var checkpointKind: String
  public var checkpointToken: String
  public var checkpointSeconds: Double
  public var checkpointBytesWritten: UInt64
  /// Whether the files' cached pages were dropped before recovery (`POSIX_FADV_DONTNEED`
  /// after `fdatasync`); false when the kernel refused for some file.
  public var pageCacheDropped: Bool
  /// Opening the device and recovering the store until the first read of a recovered key
  /// succeeded: the time to a usable store.
  public var recoverySeconds: Double
  /// The engine's own recovery duration (`RecoveryReport.durationNanoseconds`).
  public var engineRecoverySeconds: Double
  /// Bytes recovery read (checkpoint files and the log device).
  public var bytesRead: UInt64
  /// `bytesRead / recoverySeconds`, 10^6 bytes per second.
  public var megabytesPerSecond: Double
  public var recordsReplayed: UInt64
  /// Recovered keys read back after the timed part (spread over the loaded range), and how
  /// many were found: all of them, or the command fails.
  public var keysChecked: Int
  public var keysFound: Int
  /// The sequential read of every file of the log and checkpoint directories.
  public var sequentialRead: SequentialReadProbe.Result
  /// Seconds the sequential reader needs for `bytesRead` at its measured speed.
  public var sequentialSecondsForBytesRead: Double
  /// `recoverySeconds / sequentialSecondsForBytesRead` (the goal: below 1.5).
  public var ratioToSequentialRead: Double
}
