import Foundation

/// A fresh directory under the system temporary directory (`mkdtemp`), removed with its
/// contents by `remove()` or, at the latest, when the object goes away.
///
/// Thread safety: immutable; `remove()` may be called more than once.
public final class TemporaryDirectory: Sendable {
  public let path: String

  /// Creates `<tmp>/faster-<name>-XXXXXX`. Traps if the directory cannot be made (the
  /// machine's temporary directory is unusable: no test could run).
  public init(_ name: String = "test") {
    var base = NSTemporaryDirectory()
    while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
    var template = Array((base + "/faster-\(name)-XXXXXX").utf8CString)
    let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    guard let created else { fatalError("mkdtemp in \(base) failed: errno \(errno)") }
    path = String(cString: created)
  }

  deinit { remove() }

  public var url: URL { URL(fileURLWithPath: path) }

  /// The path of `name` inside the directory.
  public func file(_ name: String) -> String { path + "/" + name }

  public func fileExists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name)) }

  public func remove() { try? FileManager.default.removeItem(atPath: path) }
}
