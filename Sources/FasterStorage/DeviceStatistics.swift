/// Counters of a device's completed work, for results files.
///
/// `reads`/`writes` count I/Os that completed successfully; `bytesRead`/`bytesWritten` their
/// bytes; `flushes` the calls to `flush()` that succeeded. Failed I/Os are not counted.
///
/// Thread safety: a value type (a snapshot), safe to share and send between threads.
public struct DeviceStatistics: Codable, Sendable, Equatable {
  public var reads: UInt64
  public var writes: UInt64
  public var bytesRead: UInt64
  public var bytesWritten: UInt64
  public var flushes: UInt64

  /// Creates a snapshot; every counter defaults to zero.
  public init(
    reads: UInt64 = 0, writes: UInt64 = 0, bytesRead: UInt64 = 0, bytesWritten: UInt64 = 0,
    flushes: UInt64 = 0
  ) {
    self.reads = reads
    self.writes = writes
    self.bytesRead = bytesRead
    self.bytesWritten = bytesWritten
    self.flushes = flushes
  }
}
