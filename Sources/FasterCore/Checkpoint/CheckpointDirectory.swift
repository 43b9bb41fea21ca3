import FasterPlatform
import FasterStorage

#if canImport(Glibc)
  import Glibc
#endif

/// The files of a checkpoint directory: `<token>.meta` (written last, atomically: the
/// checkpoint exists once it does), `<token>.index`, `<token>.snapshot` and `<token>.delta`. Writes go to a
/// `.tmp` name, are fdatasynced, renamed, and the directory is fsynced.
///
/// Thread safety: a value type; the file system serializes the rest (one checkpoint
/// writes at a time).
struct CheckpointDirectory {
  let path: String

  static let metadataSuffix = ".meta"
  static let indexSuffix = ".index"
  static let snapshotSuffix = ".snapshot"
  static let deltaSuffix = ".delta"

  func metadataPath(_ token: CheckpointToken) -> String { "\(path)/\(token)\(Self.metadataSuffix)" }
  func indexPath(_ token: CheckpointToken) -> String { "\(path)/\(token)\(Self.indexSuffix)" }
  func snapshotPath(_ token: CheckpointToken) -> String { "\(path)/\(token)\(Self.snapshotSuffix)" }
  func deltaPath(_ token: CheckpointToken) -> String { "\(path)/\(token)\(Self.deltaSuffix)" }

  /// The file holding a snapshot-kind checkpoint's log data: its snapshot or its delta
  /// (nil for fold-over, which has none).
  func logDataPath(_ info: CheckpointInfo) -> String? {
    switch info.kind {
    case .foldOver: nil
    case .snapshot: snapshotPath(info.token)
    case .incrementalSnapshot: deltaPath(info.token)
    }
  }

  static func ioError(_ operation: String, _ file: String, _ errorNumber: Int32) -> CheckpointError {
    .device(
      DeviceError(
        .ioError,
        message:
          "\(operation) \(file) failed [\(ErrorNumber.describe(errorNumber))]: check the checkpoint directory's space and permissions"
      ))
  }

  /// Creates the directory (and parents) if missing.
  func create() throws(CheckpointError) {
    var prefix = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/") {
      prefix += "/" + component
      if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
        throw Self.ioError("creating directory", prefix, errno)
      }
    }
  }

  /// The checkpoint tokens that have a metadata file, and the names that look like
  /// checkpoint files but do not parse as a token.
  func entries() -> (tokens: [CheckpointToken], files: [String]) {
    guard let directory = opendir(path) else { return ([], []) }
    defer { closedir(directory) }
    var tokens: [CheckpointToken] = []
    var files: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      guard name != ".", name != ".." else { continue }
      files.append(name)
      if name.hasSuffix(Self.metadataSuffix),
        let token = CheckpointToken(String(name.dropLast(Self.metadataSuffix.count)))
      {
        tokens.append(token)
      }
    }
    return (tokens, files.sorted())
  }

  /// The whole file, or nil if it does not exist.
  func read(_ file: String) throws(CheckpointError) -> [UInt8]? {
    let descriptor = open(file, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      if errno == ENOENT { return nil }
      throw Self.ioError("opening", file, errno)
    }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw Self.ioError("stat of", file, errno) }
    var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
    var done = 0
    while done < bytes.count {
      let count = bytes.withUnsafeMutableBytes {
        Glibc.read(descriptor, $0.baseAddress! + done, $0.count - done)
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw Self.ioError("reading", file, errno)
      }
      if count == 0 { break }
      done += count
    }
    if done < bytes.count { bytes.removeLast(bytes.count - done) }
    return bytes
  }

  func size(_ file: String) -> UInt64? {
    var status = stat()
    return stat(file, &status) == 0 ? UInt64(status.st_size) : nil
  }

  /// Makes renames and unlinks in the directory durable.
  func sync() throws(CheckpointError) {
    let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { throw Self.ioError("opening directory", path, errno) }
    defer { close(descriptor) }
    if fsync(descriptor) != 0 { throw Self.ioError("fsync of directory", path, errno) }
  }

  func remove(_ file: String) { unlink(file) }
}

/// A checkpoint file being written: to `<final>.tmp`, then `commit()` fdatasyncs it and
/// renames it to its final name (the caller fsyncs the directory).
final class CheckpointFileWriter {
  let finalPath: String
  let temporaryPath: String
  private var descriptor: Int32
  private(set) var bytesWritten: UInt64 = 0

  init(path: String) throws(CheckpointError) {
    finalPath = path
    temporaryPath = path + ".tmp"
    descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw CheckpointDirectory.ioError("creating", temporaryPath, errno) }
  }

  deinit {
    if descriptor >= 0 {
      close(descriptor)
      unlink(temporaryPath)
    }
  }

  func write(_ bytes: UnsafeRawBufferPointer) throws(CheckpointError) {
    var done = 0
    while done < bytes.count {
      let count = Glibc.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
      if count < 0 {
        if errno == EINTR { continue }
        throw CheckpointDirectory.ioError("writing", temporaryPath, errno)
      }
      done += count
    }
    bytesWritten += UInt64(bytes.count)
  }

  func write(_ bytes: [UInt8]) throws(CheckpointError) {
    try withCheckpointBytes(bytes) { (raw) throws(CheckpointError) in try write(raw) }
  }

  func commit() throws(CheckpointError) {
    if fdatasync(descriptor) != 0 { throw CheckpointDirectory.ioError("fdatasync of", temporaryPath, errno) }
    close(descriptor)
    descriptor = -1
    guard rename(temporaryPath, finalPath) == 0 else {
      let failure = errno
      unlink(temporaryPath)
      throw CheckpointDirectory.ioError("renaming to", finalPath, failure)
    }
  }
}
