#if canImport(Glibc)
  import Glibc
#endif

/// One open segment file; the descriptor is closed when the last reference goes away.
///
/// In-flight I/Os hold a reference, so `truncate(before:)` can drop a segment from the table while an
/// I/O on it is still running without the descriptor number being reused under it.
///
/// Thread safety: immutable; safe to share between threads (the kernel serializes the descriptor).
final class SegmentFile: Sendable {
  /// The segment's index: it holds device offsets `[index * segmentSize, (index + 1) * segmentSize)`.
  let index: UInt64
  /// `"<directory>/<prefix>.<index>"`.
  let path: String
  /// The open descriptor (`O_RDWR`, plus `O_DIRECT` when `isDirect`).
  let descriptor: Int32
  /// Whether the file was opened with `O_DIRECT`.
  let isDirect: Bool

  init(index: UInt64, path: String, descriptor: Int32, isDirect: Bool) {
    precondition(descriptor >= 0)
    self.index = index
    self.path = path
    self.descriptor = descriptor
    self.isDirect = isDirect
  }

  deinit {
    // close() may report EIO for an earlier write-back on some filesystems; flush() is where
    // durability errors are reported, so the result here is deliberately not acted on.
    _ = Glibc.close(descriptor)
  }

  /// `fdatasync`, retried on EINTR.
  func synchronize() throws(DeviceError) {
    while fdatasync(descriptor) != 0 {
      let error = errno
      if error == EINTR { continue }
      throw DeviceError.fromSystemCall(errorNumber: error, operation: "syncing (fdatasync)", path: path)
    }
  }

  /// Transfers `length` bytes at `fileOffset` with `pread`/`pwrite`, retrying EINTR/EAGAIN and short
  /// transfers for the remainder. Returns `length`, or the error (EOF on read is `.shortTransfer`).
  func transfer(
    _ kind: IOKind, buffer: UnsafeMutableRawPointer, length: Int, fileOffset: UInt64
  ) -> Result<Int, DeviceError> {
    var done = 0
    while done < length {
      let position = off_t(fileOffset) + off_t(done)
      // Safety: the caller guarantees `buffer` holds `length` bytes and stays alive until we return.
      let result: Int
      switch kind {
      case .read: result = pread(descriptor, buffer + done, length - done, position)
      case .write: result = pwrite(descriptor, buffer + done, length - done, position)
      }
      if result < 0 {
        let error = errno
        if error == EINTR || error == EAGAIN { continue }
        return .failure(
          DeviceError.fromSystemCall(
            errorNumber: error, operation: kind.verb, path: path, offset: UInt64(position)))
      }
      if result == 0 {
        return .failure(endOfFile(kind, at: UInt64(position), wanted: length - done))
      }
      done += result
    }
    return .success(length)
  }

  /// The error for a transfer that made no progress: EOF on read, a zero-byte write.
  func endOfFile(_ kind: IOKind, at fileOffset: UInt64, wanted: Int) -> DeviceError {
    switch kind {
    case .read:
      return DeviceError(
        .shortTransfer,
        message: "reading \(path) at offset \(fileOffset): end of file with \(wanted) bytes still wanted; "
          + "the data was never written there (or the file was truncated outside FASTER)")
    case .write:
      return DeviceError(
        .ioError,
        message: "writing \(path) at offset \(fileOffset): the kernel accepted 0 of \(wanted) bytes; "
          + "check free space and the kernel log (dmesg)")
    }
  }
}
