import Foundation

/// The directory a peer store keeps its files in for one run: a fresh subdirectory of the
/// chosen parent (`rocksdb.path`, `lmdb.path`, or the system's temporary directory), removed
/// when the binding closes.
struct PeerDirectory: Sendable {
  let path: String

  /// - Throws: ``BindingError`` naming `knob` when the directory cannot be made.
  init(parent: String?, store: String, knob: String) throws(BindingError) {
    let base = parent ?? NSTemporaryDirectory()
    let separator = base.hasSuffix("/") ? "" : "/"
    path = base + separator + "fasterbench-\(store)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      throw BindingError(
        "cannot make the \(store) directory \(path) (\(knob)): \(error.localizedDescription)")
    }
  }

  func remove() {
    try? FileManager.default.removeItem(atPath: path)
  }
}
