/// Called once when an I/O finishes: the bytes transferred, or why it failed.
public typealias IOCompletion = @Sendable (Result<Int, DeviceError>) -> Void

/// An asynchronous, segmented block device for the hybrid log's disk tier.
///
/// Contract for every implementation:
/// - Buffers, offsets and lengths are multiples of `alignment`; an I/O never spans two segments.
///   Violations complete with `.invalidArgument` (never a crash, never a partial I/O).
/// - `completion` runs exactly once, on a device thread, never inline on the caller's stack.
/// - A successful completion of a real device reports the full length: short `pread`/`pwrite`
///   results are retried for the remainder inside the device. (`FaultInjectingDevice` may report
///   fewer bytes on purpose, so callers check the count.)
/// - The caller keeps the buffer alive and untouched until the completion runs.
/// - Durability: a completed write is visible to later reads at once, and durable (survives a crash
///   or power loss) only after a later `flush()` returns.
///
/// Thread safety: every member may be called from any thread, concurrently, and from within a
/// completion closure.
public protocol StorageDevice: AnyObject, Sendable {
  /// `"uring"`, `"file"`, `"null"`, `"faulty(file)"`.
  var name: String { get }
  /// Buffers, offsets and lengths must be multiples of this (4096 with O_DIRECT, else 512).
  var alignment: Int { get }
  /// Bytes per segment file.
  var segmentSizeBytes: UInt64 { get }
  /// Asynchronous; `completion` runs exactly once, on a device thread, never inline in the caller's stack.
  func write(_ buffer: UnsafeRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion)
  /// Asynchronous; `completion` runs exactly once, on a device thread, never inline in the caller's stack.
  func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64, completion: @escaping IOCompletion)
  /// Makes every completed write durable (fdatasync of every segment file written since the last flush). Blocking.
  func flush() throws(DeviceError)
  /// Deletes the segment files entirely below `offset` (log truncation). Reads below it fail with .fileMissing.
  func truncate(before offset: UInt64) throws(DeviceError)
  /// Bytes/ops counters for results: reads, writes, bytesRead, bytesWritten, flushes.
  var statistics: DeviceStatistics { get }
  /// Waits for in-flight I/O, stops device threads, closes files. Idempotent.
  func close()
}
