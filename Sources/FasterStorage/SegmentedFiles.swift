import CFasterShims
import FasterPlatform

#if canImport(Glibc)
  import Glibc
#endif

/// The segment files of one device: opens them lazily, maps device offsets to (file, file offset),
/// tracks which were written since the last flush, and deletes whole segments on truncation.
///
/// Layout: device offset `o` lives in `"<directory>/<prefix>.<o / segmentSize>"` at `o % segmentSize`.
///
/// Invariants (guarded by `lock`):
/// - every segment in `openSegments` and `unflushedSegments` has `index >= beginSegment`;
/// - `beginSegment` only grows (truncation is permanent for this instance);
/// - after `closeAll()` no segment is handed out again.
///
/// Thread safety: every method may be called from any thread.
final class SegmentedFiles: @unchecked Sendable {
  // @unchecked Sendable: the mutable state below is guarded by `lock`; the rest is immutable.
  let directory: String
  let fileNamePrefix: String
  let segmentSizeBytes: UInt64
  /// 4096 with O_DIRECT requested, else 512: buffers, offsets and lengths must be multiples.
  let alignment: Int
  private let wantsDirectIO: Bool
  private let log: @Sendable (String) -> Void

  private let lock = PThreadLock()
  private var openSegments: [UInt64: SegmentFile] = [:]
  private var unflushedSegments: [UInt64: SegmentFile] = [:]
  private var beginSegment: UInt64 = 0
  private var directIORefused = false
  private var closed = false

  /// Validates `options` and creates the directory (with parents) if needed; opens no file yet.
  init(options: DeviceOptions) throws(DeviceError) {
    try options.validate()
    directory =
      options.directory.count > 1 && options.directory.hasSuffix("/")
      ? String(options.directory.dropLast()) : options.directory
    fileNamePrefix = options.fileNamePrefix
    segmentSizeBytes = options.segmentSizeBytes
    wantsDirectIO = options.directIO
    alignment = options.directIO ? 4096 : 512
    let logger = options.logger
    let lineLog = options.log
    log = { line in
      logger.warning("\(line)")
      lineLog(line)
    }
    try Self.createDirectory(directory)
  }

  /// The path of segment `index`.
  func path(ofSegment index: UInt64) -> String {
    "\(directory)/\(fileNamePrefix).\(index)"
  }

  /// Checks alignment and that `[offset, offset + length)` lies inside one segment; nil if valid.
  func validationError(address: UnsafeRawPointer?, length: Int, offset: UInt64, _ kind: IOKind)
    -> DeviceError?
  {
    let where_ = "\(kind.verb) \(length) bytes at device offset \(offset)"
    guard length > 0 else {
      return DeviceError(.invalidArgument, message: "\(where_): the length must be positive")
    }
    guard let address, Int(bitPattern: address) % alignment == 0, length % alignment == 0,
      offset % UInt64(alignment) == 0
    else {
      return DeviceError(
        .invalidArgument,
        message: "\(where_): buffer address, offset and length must be multiples of \(alignment) "
          + "(allocate page buffers with that alignment)")
    }
    let segment = offset / segmentSizeBytes
    guard (offset + UInt64(length) - 1) / segmentSizeBytes == segment else {
      return DeviceError(
        .invalidArgument,
        message: "\(where_) spans two segments of \(segmentSizeBytes) bytes: the log page size must not "
          + "exceed DeviceOptions.segmentSizeBytes")
    }
    return nil
  }

  /// The segment holding `offset` and the offset inside it. Writes create the file if needed and
  /// mark it for the next `flush()`; reads require the file to exist.
  func segment(for kind: IOKind, at offset: UInt64) throws(DeviceError) -> (SegmentFile, UInt64) {
    let index = offset / segmentSizeBytes
    let fileOffset = offset % segmentSizeBytes
    lock.lock()
    defer { lock.unlock() }
    guard !closed else {
      throw DeviceError(.closed, message: "\(kind.verb) at device offset \(offset): the device is closed")
    }
    guard index >= beginSegment else {
      throw DeviceError(
        .fileMissing,
        message: "\(kind.verb) at device offset \(offset): below the truncation point "
          + "\(beginSegment * segmentSizeBytes); \(path(ofSegment: index)) was deleted by truncate(before:)")
    }
    let file: SegmentFile
    if let existing = openSegments[index] {
      file = existing
    } else {
      file = try open(segment: index, creating: kind == .write)
      openSegments[index] = file
    }
    if kind == .write {
      unflushedSegments[index] = file
    }
    return (file, fileOffset)
  }

  /// Opens (and for writes creates) a segment file; falls back to buffered I/O once if the
  /// filesystem refuses O_DIRECT. Requires `lock`.
  private func open(segment index: UInt64, creating: Bool) throws(DeviceError) -> SegmentFile {
    let filePath = path(ofSegment: index)
    let baseFlags = O_RDWR | O_CLOEXEC | (creating ? O_CREAT : 0)
    while true {
      let direct = wantsDirectIO && !directIORefused
      let descriptor = Glibc.open(filePath, baseFlags | (direct ? cfaster_o_direct() : 0), 0o644)
      if descriptor >= 0 {
        return SegmentFile(index: index, path: filePath, descriptor: descriptor, isDirect: direct)
      }
      let error = errno
      if error == EINTR { continue }
      if error == EINVAL && direct {
        directIORefused = true
        log(
          "faster: \(directory) refuses O_DIRECT (open: EINVAL); using buffered I/O for its segment files "
            + "(the OS page cache will hold log pages)")
        continue
      }
      throw DeviceError.fromSystemCall(
        errorNumber: error, operation: creating ? "creating" : "opening", path: filePath)
    }
  }

  /// fdatasyncs every segment written since the last flush; on failure the rest stay marked.
  func flush() throws(DeviceError) {
    let pending: [SegmentFile] = lock.withLock {
      let files = unflushedSegments.sorted { $0.key < $1.key }.map(\.value)
      unflushedSegments.removeAll()
      return files
    }
    for (position, file) in pending.enumerated() {
      do {
        try file.synchronize()
      } catch {
        lock.withLock {
          for remaining in pending[position...] where remaining.index >= beginSegment && !closed {
            unflushedSegments[remaining.index] = remaining
          }
        }
        throw error
      }
    }
  }

  /// Deletes every segment file entirely below `offset`; later I/O below it fails with `.fileMissing`.
  func truncate(before offset: UInt64) throws(DeviceError) {
    let newBegin = offset / segmentSizeBytes
    lock.lock()
    defer { lock.unlock() }
    guard newBegin > beginSegment else { return }
    for index in beginSegment..<newBegin {
      // In-flight I/O keeps its SegmentFile (and descriptor) alive; unlinking is safe under it.
      openSegments[index] = nil
      unflushedSegments[index] = nil
      let filePath = path(ofSegment: index)
      if unlink(filePath) != 0 {
        let error = errno
        if error != ENOENT {
          throw DeviceError.fromSystemCall(
            errorNumber: error, operation: "deleting (truncate)", path: filePath)
        }
      }
      beginSegment = index + 1
    }
  }

  /// Whether some segment file refused O_DIRECT and buffered I/O is in use.
  var isBuffered: Bool {
    lock.withLock { !wantsDirectIO || directIORefused }
  }

  /// Drops every open segment (descriptors close when in-flight I/O lets go); no more are handed out.
  func closeAll() {
    lock.withLock {
      closed = true
      openSegments.removeAll()
      unflushedSegments.removeAll()
    }
  }

  /// `mkdir -p directory`, then checks that it is a writable directory.
  private static func createDirectory(_ directory: String) throws(DeviceError) {
    var prefix = directory.hasPrefix("/") ? "" : "."
    for component in directory.split(separator: "/") {
      prefix += "/" + component
      if mkdir(prefix, 0o755) != 0 {
        let error = errno
        if error == EEXIST { continue }
        throw DeviceError.fromSystemCall(errorNumber: error, operation: "creating directory", path: prefix)
      }
    }
    var status = stat()
    guard stat(directory, &status) == 0 else {
      throw DeviceError.fromSystemCall(errorNumber: errno, operation: "inspecting directory", path: directory)
    }
    guard status.st_mode & S_IFMT == S_IFDIR else {
      throw DeviceError.fromSystemCall(
        errorNumber: ENOTDIR, operation: "using as log directory", path: directory)
    }
    guard access(directory, W_OK | X_OK) == 0 else {
      throw DeviceError.fromSystemCall(
        errorNumber: errno, operation: "writing into directory", path: directory)
    }
  }
}
