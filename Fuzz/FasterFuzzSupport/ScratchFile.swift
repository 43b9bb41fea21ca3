#if canImport(Glibc)
  import Glibc
#endif

/// A private directory for fuzz targets whose parser reads a path: each input is written
/// there before the parser runs. On /dev/shm when it exists, so an input costs no disk I/O.
public enum ScratchFile {
  /// The directory, created once per process (and left for the OS to clean).
  public static let directory: String = {
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    var template = Array("\(base)/faster-fuzz-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else {
      fatalError("fuzz: cannot create a scratch directory in \(base)")
    }
    return String(cString: made)
  }()

  /// Writes `bytes` to `name` in the directory (replacing it); returns its path.
  @discardableResult
  public static func write(_ bytes: UnsafeRawBufferPointer, name: String) -> String {
    let path = directory + "/" + name
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { fatalError("fuzz: cannot create \(path)") }
    defer { close(descriptor) }
    var written = 0
    while written < bytes.count {
      let result = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
      guard result > 0 else { fatalError("fuzz: cannot write \(path)") }
      written += result
    }
    return path
  }

  /// Removes `name` from the directory if present.
  public static func remove(_ name: String) { unlink(directory + "/" + name) }
}
