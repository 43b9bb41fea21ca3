import FasterPlatform

#if canImport(Glibc)
  import Glibc
#endif

/// The exclusive hold of one process on a FasterLog directory: `flock(LOCK_EX)` on
/// `<directory>/LOCK`, whose content is the holder's pid (for the error message only: the
/// lock itself is the flock, never the file's presence).
///
/// Two logs open on one directory would both append at the recovered tail and overwrite
/// each other's entries and commit records. The kernel drops a flock when its descriptor
/// closes, which includes the death of the process (even by SIGKILL): a crashed holder
/// never leaves the directory locked. A second open in the same process is refused too
/// (each open is its own open file description).
///
/// Thread safety: `release()` is idempotent but not thread-safe; the log calls it from
/// `close()` (and `deinit`), which are its last calls.
final class LogDirectoryLock {
  static let fileName = "LOCK"
  private var descriptor: Int32

  /// Takes the lock or throws `.directoryLocked` naming the directory and the holder's pid.
  /// The directory must exist.
  init(directory: String) throws(FasterLogError) {
    let path = directory + "/" + Self.fileName
    let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw .commitRecord(
        "opening the lock file \(path) failed [\(ErrorNumber.describe(errno))]: check the path and permissions"
      )
    }
    if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
      let failure = errno
      let holder = failure == EWOULDBLOCK ? Self.readPID(descriptor) : nil
      close(descriptor)
      guard failure == EWOULDBLOCK else {
        throw .commitRecord("locking \(path) failed [\(ErrorNumber.describe(failure))]")
      }
      throw .directoryLocked(directory: directory, holderPID: holder)
    }
    // Record our pid for the next opener's message; failing to write it costs only that.
    let text = Array("\(getpid())\n".utf8)
    if ftruncate(descriptor, 0) == 0 {
      _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }
    self.descriptor = descriptor
  }

  deinit { release() }

  /// Drops the lock (closes the descriptor). Idempotent.
  func release() {
    guard descriptor >= 0 else { return }
    close(descriptor)
    descriptor = -1
  }

  /// The pid written by the holder, if the file holds one.
  private static func readPID(_ descriptor: Int32) -> Int32? {
    var buffer = [UInt8](repeating: 0, count: 32)
    let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
    guard count > 0 else { return nil }
    let digits = buffer[0..<count].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    guard let pid = Int32(String(decoding: digits, as: UTF8.self)), pid > 0 else { return nil }
    return pid
  }
}
