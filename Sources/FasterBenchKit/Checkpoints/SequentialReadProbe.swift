import CFasterShims
import FasterPlatform
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The device's sequential read speed on the files a recovery reads: each file read once,
/// front to back, in 1 MiB requests, bypassing the page cache with `O_DIRECT` where the file
/// system allows it, else after `POSIX_FADV_DONTNEED` (dropping the file's clean cached pages,
/// as far as the kernel honours it). Single-threaded, one request in flight: the speed a
/// plain sequential reader gets, the yardstick for a recovery that reads the same bytes.
public struct SequentialReadProbe {
  /// What the probe measured.
  public struct Result: Codable, Sendable, Equatable {
    /// `O_DIRECT` or `buffered after POSIX_FADV_DONTNEED` (the weaker of the files' methods).
    public var method: String
    public var files: Int
    public var bytes: UInt64
    public var seconds: Double
    /// 10^6 bytes per second.
    public var megabytesPerSecond: Double
  }

  static let requestBytes = 1 << 20
  static let alignment = 4096

  /// Every regular file under `directories` (recursively, each once).
  static func files(under directories: [String]) -> [String] {
    var seen = Set<String>()
    var paths: [String] = []
    for directory in directories {
      guard let enumerator = FileManager.default.enumerator(atPath: directory) else { continue }
      for case let relative as String in enumerator {
        let path = (directory as NSString).appendingPathComponent(relative)
        let resolved = (path as NSString).resolvingSymlinksInPath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory),
          !isDirectory.boolValue,
          seen.insert(resolved).inserted
        else { continue }
        paths.append(resolved)
      }
    }
    return paths.sorted()
  }

  /// Writes back and drops `paths` from the page cache (`fdatasync` then
  /// `POSIX_FADV_DONTNEED`). Returns false when any file could not be dropped.
  @discardableResult
  static func dropFromPageCache(_ paths: [String]) -> Bool {
    var dropped = true
    for path in paths {
      let descriptor = open(path, O_RDONLY)
      guard descriptor >= 0 else {
        dropped = false
        continue
      }
      _ = fdatasync(descriptor)
      if posix_fadvise(descriptor, 0, 0, POSIX_FADV_DONTNEED) != 0 { dropped = false }
      close(descriptor)
    }
    return dropped
  }

  /// Reads every file of `paths` once.
  ///
  /// - Throws: ``BindingError`` naming the file and errno when a file cannot be read.
  static func measure(_ paths: [String]) throws(BindingError) -> Result {
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: requestBytes, alignment: alignment)
    defer { buffer.deallocate() }
    var bytes: UInt64 = 0
    var allDirect = true
    let start = monotonicNanoseconds()
    for path in paths {
      var descriptor = open(path, O_RDONLY | cfaster_o_direct())
      if descriptor < 0 {
        // tmpfs and some other file systems refuse O_DIRECT: read through the cache, emptied first.
        allDirect = false
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
          throw BindingError(
            "cannot open \(path) for the sequential read: \(String(cString: strerror(errno)))")
        }
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_DONTNEED)
      }
      defer { close(descriptor) }
      var offset: off_t = 0
      while true {
        let count = pread(descriptor, buffer, requestBytes, offset)
        if count < 0 {
          if errno == EINTR { continue }
          throw BindingError("reading \(path) at offset \(offset): \(String(cString: strerror(errno)))")
        }
        if count == 0 { break }
        bytes &+= UInt64(count)
        offset += off_t(count)
        if count < requestBytes { break }
      }
    }
    let seconds = Double(monotonicNanoseconds() &- start) / 1e9
    return Result(
      method: allDirect ? "O_DIRECT" : "buffered after POSIX_FADV_DONTNEED", files: paths.count, bytes: bytes,
      seconds: seconds, megabytesPerSecond: seconds > 0 ? Double(bytes) / 1e6 / seconds : 0)
  }
}
