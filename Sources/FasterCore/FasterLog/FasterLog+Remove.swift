import FasterPlatform

#if canImport(Glibc)
  import Glibc
#endif

/// Deleting a log that is not open.
extension FasterLog {
  /// Deletes the log in `directory`: its segment files (`log.<n>`), commit records
  /// (`commit.*`) and lock file, then the directory itself if nothing else is left in it.
  /// Does nothing when the directory does not exist.
  ///
  /// - Throws: `.directoryLocked` while a log (in any process) has the directory open: its
  ///   files are left alone; `.commitRecord` when a file cannot be deleted.
  public static func remove(directory: String) throws(FasterLogError) {
    guard let handle = opendir(directory) else { return }
    closedir(handle)
    let lock = try LogDirectoryLock(directory: directory)
    defer { lock.release() }
    guard let listing = opendir(directory) else {
      throw .commitRecord("listing \(directory) failed [\(ErrorNumber.describe(errno))]")
    }
    var names: [String] = []
    while let entry = readdir(listing) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name.hasPrefix("log.") || name.hasPrefix("commit.") { names.append(name) }
    }
    closedir(listing)
    for name in names where unlink(directory + "/" + name) != 0 && errno != ENOENT {
      throw .commitRecord(
        "deleting \(directory)/\(name) failed [\(ErrorNumber.describe(errno))]: check the permissions")
    }
    // The lock file goes last, while still held: no opener can slip in between.
    unlink(directory + "/" + LogDirectoryLock.fileName)
    rmdir(directory)
  }
}
