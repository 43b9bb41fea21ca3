import Foundation

/// A tmpfs of a given size mounted on a fresh directory (root only); `remove()` unmounts it.
/// For tests of a full or read-only filesystem: probe `isAvailable` and skip without root.
public final class ScratchMount {
  /// Why a mount or remount was refused.
  public struct Refused: Error, CustomStringConvertible {
    public let description: String
  }

  public let path: String
  private let directory: TemporaryDirectory

  /// Whether `mount -t tmpfs` works here (probed once).
  public static let isAvailable: Bool = {
    guard let mount = try? ScratchMount(sizeBytes: 1 << 20) else { return false }
    mount.remove()
    return true
  }()

  /// Mounts a tmpfs of `sizeBytes`, or with `type: "ramfs"` a ramfs (no size limit, no O_DIRECT).
  public init(sizeBytes: Int, type: String = "tmpfs") throws(Refused) {
    directory = TemporaryDirectory()
    path = directory.path
    guard Self.run("/bin/mount", ["-t", type, "-o", "size=\(sizeBytes)", type, path]) else {
      directory.remove()
      throw Refused(description: "mount -t \(type) on \(path) was refused")
    }
  }

  public func remountReadOnly() throws(Refused) {
    guard Self.run("/bin/mount", ["-o", "remount,ro", path]) else {
      throw Refused(description: "remount,ro of \(path) was refused")
    }
  }

  public func remove() {
    _ = Self.run("/bin/umount", [path])
    directory.remove()
  }

  private static func run(_ executable: String, _ arguments: [String]) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardError = FileHandle.nullDevice
    do {
      try process.run()
      process.waitUntilExit()
      return process.terminationStatus == 0
    } catch {
      return false
    }
  }
}
