import FasterPlatform

#if canImport(Glibc)
  import Glibc
#endif

/// The commit records of a FasterLog on disk: `<directory>/commit.<sequence>` (20 decimal
/// digits, so names sort by sequence). A record is written atomically: to
/// `commit.<sequence>.tmp`, fsync, rename to its final name, fsync of the directory. A
/// crash leaves either the whole new record or none of it (a stray `.tmp` is ignored and
/// removed), never a torn one. The newest records are kept (`retainedCommitRecords`) so a
/// corrupt newest one can be skipped.
///
/// Thread safety: not thread-safe; the log's commit worker is its only writer.
struct LogCommitFiles {
  let directory: String

  /// Creates `directory` (and its parents) if missing.
  static func create(directory: String) throws(FasterLogError) {
    var path = directory.hasPrefix("/") ? "" : "."
    for component in directory.split(separator: "/", omittingEmptySubsequences: true) {
      path += "/" + component
      if mkdir(path, 0o755) != 0 && errno != EEXIST {
        throw .commitRecord(
          "creating directory \(path) failed [\(describe(errno))]: check the path and permissions")
      }
    }
  }

  func path(ofSequence sequence: UInt64) -> String {
    let digits = String(sequence)
    return directory + "/commit." + String(repeating: "0", count: Swift.max(0, 20 - digits.count)) + digits
  }

  /// The sequences of the commit records present, ascending; stray temporary files removed.
  func sequences() throws(FasterLogError) -> [UInt64] {
    guard let handle = opendir(directory) else {
      throw .commitRecord("listing \(directory) failed [\(describe(errno))]: check the path and permissions")
    }
    defer { closedir(handle) }
    var found: [UInt64] = []
    while let entry = readdir(handle) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      guard name.hasPrefix("commit.") else { continue }
      let suffix = name.dropFirst("commit.".count)
      if suffix.hasSuffix(".tmp") {
        unlink(directory + "/" + name)
      } else if let sequence = UInt64(suffix) {
        found.append(sequence)
      }
    }
    return found.sorted()
  }

  /// The bytes of the record with `sequence`.
  func read(sequence: UInt64) throws(FasterLogError) -> [UInt8] {
    let path = path(ofSequence: sequence)
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .commitRecord("opening \(path) failed [\(describe(errno))]") }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw .commitRecord("reading \(path) failed [\(describe(errno))]")
      }
      if count == 0 { break }
      bytes += chunk[0..<count]
      if bytes.count > 1 << 24 { throw .commitRecord("\(path) is larger than 16 MiB: not a commit record") }
    }
    return bytes
  }

  /// Writes `bytes` as the record `sequence`, atomically and durably, then removes records
  /// older than the newest `retained`.
  func write(_ bytes: [UInt8], sequence: UInt64, retained: Int) throws(FasterLogError) {
    let final = path(ofSequence: sequence)
    let temporary = final + ".tmp"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw .commitRecord(
        "creating \(temporary) failed [\(describe(errno))]: check free space and permissions")
    }
    var written = 0
    while written < bytes.count {
      let count = bytes.withUnsafeBytes {
        Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written)
      }
      if count < 0 {
        if errno == EINTR { continue }
        let failure = errno
        close(descriptor)
        unlink(temporary)
        throw .commitRecord(
          "writing \(temporary) failed [\(describe(failure))]: free disk space and commit again")
      }
      written += count
    }
    if fsync(descriptor) != 0 {
      let failure = errno
      close(descriptor)
      unlink(temporary)
      throw .commitRecord("fsync of \(temporary) failed [\(describe(failure))]")
    }
    close(descriptor)
    guard rename(temporary, final) == 0 else {
      let failure = errno
      unlink(temporary)
      throw .commitRecord("renaming \(temporary) to \(final) failed [\(describe(failure))]")
    }
    try syncDirectory()
    if let all = try? sequences() {
      for old in all.dropLast(retained) where old < sequence { unlink(path(ofSequence: old)) }
    }
  }

  /// Makes renames and unlinks in the directory durable.
  func syncDirectory() throws(FasterLogError) {
    let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw .commitRecord("opening directory \(directory) failed [\(describe(errno))]")
    }
    defer { close(descriptor) }
    if fsync(descriptor) != 0 {
      throw .commitRecord("fsync of directory \(directory) failed [\(describe(errno))]")
    }
  }

  static func describe(_ errorNumber: Int32) -> String { ErrorNumber.describe(errorNumber) }
  func describe(_ errorNumber: Int32) -> String { Self.describe(errorNumber) }
}
