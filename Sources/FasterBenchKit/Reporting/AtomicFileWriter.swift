import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Writes a file so that readers see either the old file or the whole new one, never a truncated
/// one (a full disk, a signal, a crash mid-write): the bytes go to a temporary file beside the
/// target, are flushed with `fsync`, and the temporary file is renamed over the target; then the
/// directory is synced so the rename itself survives a power loss.
///
/// Errors say which path, what the system said, and what to do, instead of Foundation's
/// `NSCocoaErrorDomain` codes.
public enum AtomicFileWriter {
  /// A write that failed; nothing was left at the target (an older file there is untouched).
  public struct WriteError: Error, CustomStringConvertible, Sendable {
    public let description: String
  }

  /// Writes `data` to `path`, creating missing parent directories.
  ///
  /// - Throws: ``WriteError`` naming the path, the system's reason and a remedy.
  public static func write(_ data: Data, to path: String) throws(WriteError) {
    let directory = (path as NSString).deletingLastPathComponent
    if !directory.isEmpty { try createDirectory(directory) }
    let temporary =
      (directory.isEmpty ? "" : directory + "/") + ".\((path as NSString).lastPathComponent).tmp-\(getpid())"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw failure("cannot create", temporary, errno) }
    var written = 0
    let writeErrno: Int32 = data.withUnsafeBytes { bytes in
      while written < bytes.count {
        let result = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
        if result < 0 {
          if errno == EINTR { continue }
          return errno
        }
        written += result
      }
      return fsync(descriptor) == 0 ? 0 : errno
    }
    close(descriptor)
    if writeErrno != 0 {
      unlink(temporary)
      throw failure("cannot write", path, writeErrno)
    }
    guard rename(temporary, path) == 0 else {
      let renameErrno = errno
      unlink(temporary)
      throw failure("cannot replace", path, renameErrno)
    }
    let directoryDescriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if directoryDescriptor >= 0 {
      _ = fsync(directoryDescriptor)
      close(directoryDescriptor)
    }
  }

  /// Writes `text` as UTF-8 to `path` (see ``write(_:to:)``).
  public static func write(_ text: String, to path: String) throws(WriteError) {
    try write(Data(text.utf8), to: path)
  }

  /// Creates `directory` and its missing parents, with a message naming the one that failed.
  public static func createDirectory(_ directory: String) throws(WriteError) {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw WriteError(
          description: "cannot write into \(directory): it is a file, not a directory; choose another path")
      }
      return
    }
    let parent = (directory as NSString).deletingLastPathComponent
    if !parent.isEmpty && parent != directory { try createDirectory(parent) }
    if mkdir(directory, 0o755) != 0 && errno != EEXIST {
      throw failure("cannot create the directory", directory, errno)
    }
  }

  private static func failure(_ what: String, _ path: String, _ code: Int32) -> WriteError {
    let reason = String(cString: strerror(code))
    let remedy: String
    switch code {
    case ENOSPC, EDQUOT: remedy = "free some space or write elsewhere"
    case EACCES, EPERM, EROFS: remedy = "choose a path you can write to"
    case EFBIG: remedy = "raise the file-size limit (ulimit -f) or write elsewhere"
    case ENOENT, ENOTDIR: remedy = "check that the directory exists and is a directory"
    case EMFILE, ENFILE: remedy = "raise the open-file limit (ulimit -n)"
    default: remedy = "check the path and try again"
    }
    return WriteError(description: "\(what) \(path): \(reason); \(remedy)")
  }
}
