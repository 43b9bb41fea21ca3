import Logging

/// Where and how a file-backed device stores the log.
///
/// Segment files are `"<directory>/<fileNamePrefix>.<segmentIndex>"`; the device offset `o` lives in
/// segment `o / segmentSizeBytes` at `o % segmentSizeBytes`.
///
/// Thread safety: a value type, safe to share and send between threads.
public struct DeviceOptions: Sendable {
  /// The directory of the segment files (knob `faster.path`); created (with parents) if missing.
  public var directory: String
  /// The segment file name before the dot and the segment index.
  public var fileNamePrefix: String = "log"
  /// Bytes per segment file (knob `faster.log.segmentsize`); a power of two, at least the alignment.
  public var segmentSizeBytes: UInt64 = 1 << 30
  /// The most I/Os in flight at once (io_uring submission queue size; FileDevice queue bound).
  public var queueDepth: Int = 64
  /// Open segment files with `O_DIRECT`; falls back to buffered I/O, with one log line, where the
  /// filesystem refuses it (open fails with `EINVAL`).
  public var directIO: Bool = true
  /// Threads in the FileDevice pool.
  public var ioThreads: Int = 2
  /// Where one-time notices (such as the `O_DIRECT` fallback) go, at warning level. The library
  /// writes nothing to stdout or stderr itself: the default discards them.
  public var logger: Logger = FasterLogging.disabled
  /// Also receives each one-time notice, as one line (for tools and tests that collect them);
  /// discards them by default.
  public var log: @Sendable (String) -> Void = { _ in }

  /// Options for segment files under `directory`, every other field at its default.
  public init(directory: String) {
    self.directory = directory
  }

  /// Checks the options; the message names the bad value and the accepted range.
  public func validate() throws(DeviceError) {
    guard !directory.isEmpty else {
      throw DeviceError(
        .invalidArgument, message: "DeviceOptions.directory is empty: give a directory for the log files")
    }
    guard segmentSizeBytes >= 4096, segmentSizeBytes & (segmentSizeBytes - 1) == 0 else {
      throw DeviceError(
        .invalidArgument,
        message:
          "DeviceOptions.segmentSizeBytes = \(segmentSizeBytes) is not a power of two >= 4096: use e.g. 1073741824"
      )
    }
    guard (1...32768).contains(queueDepth) else {
      throw DeviceError(
        .invalidArgument,
        message: "DeviceOptions.queueDepth = \(queueDepth) is outside 1...32768: use e.g. 64")
    }
    guard (1...256).contains(ioThreads) else {
      throw DeviceError(
        .invalidArgument, message: "DeviceOptions.ioThreads = \(ioThreads) is outside 1...256: use e.g. 2")
    }
    guard !fileNamePrefix.isEmpty, !fileNamePrefix.contains("/") else {
      throw DeviceError(
        .invalidArgument,
        message:
          "DeviceOptions.fileNamePrefix = '\(fileNamePrefix)' must be non-empty and contain no '/': use e.g. log"
      )
    }
  }
}
